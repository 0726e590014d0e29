package io.ledgerstream.security;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * How bearer tokens are verified: exactly one key source (a JWKS URL, a PEM public key, or an HS256 secret file), and
 * the issuer and audience a token must name when given.
 *
 * @param jwksUrl a JSON Web Key Set with RS256 or ES256 keys, cached and fetched again for an unknown key id
 * @param publicKeyFile a PEM public key (RSA: RS256, EC P-256: ES256), or a PEM certificate holding one
 * @param hmacSecretFile an HS256 secret: the file's content with surrounding whitespace trimmed, at least 32 bytes
 * @param issuer the {@code iss} every token must carry; null accepts any
 * @param audience a value the token's {@code aud} must contain; null accepts any
 * @param rolesClaim the claim holding the token's roles, an array such as {@code ["ledger.read"]}
 */
public record AuthSettings(URI jwksUrl, Path publicKeyFile, Path hmacSecretFile, String issuer, String audience,
                           String rolesClaim) {

  public static final String DEFAULT_ROLES_CLAIM = "roles";
  /** The claim that scopes a token to one owner's accounts. */
  public static final String OWNER_CLAIM = "owner";
  /** Tolerated difference between the issuer's clock and ours for {@code exp} and {@code nbf}. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  /** How long fetched JWKS keys are used before they are fetched again. */
  public static final Duration JWKS_CACHE = Duration.ofMinutes(5);
  /** At most one JWKS fetch per this many seconds for unknown key ids, so forged key ids cannot flood the issuer. */
  public static final int JWKS_MIN_REFRESH_SECONDS = 30;
  public static final Duration JWKS_MIN_REFRESH_INTERVAL = Duration.ofSeconds(JWKS_MIN_REFRESH_SECONDS);
  /** The shortest HS256 secret accepted: 256 bits, as RFC 7518 requires. */
  public static final int MIN_HMAC_SECRET_BYTES = 32;

  public AuthSettings {
    long sources = Stream.of(jwksUrl, publicKeyFile, hmacSecretFile).filter(source -> source != null).count();
    if (sources != 1) {
      throw new IllegalArgumentException("authentication needs exactly one of --auth-jwks-url, --auth-public-key and "
          + "--auth-hmac-secret-file, got " + sources);
    }
    rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? DEFAULT_ROLES_CLAIM : rolesClaim;
  }

  /** Tokens signed with HS256 under the secret in {@code secretFile}, any issuer and audience. */
  public static AuthSettings hmac(Path secretFile) {
    return new AuthSettings(null, null, secretFile, null, null, null);
  }

  /** These settings, also requiring this issuer and audience (null: any). */
  public AuthSettings requiring(String requiredIssuer, String requiredAudience) {
    return new AuthSettings(jwksUrl, publicKeyFile, hmacSecretFile, requiredIssuer, requiredAudience, rolesClaim);
  }
}
