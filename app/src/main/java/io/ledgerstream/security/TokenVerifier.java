package io.ledgerstream.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.ParseException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies bearer JWTs with Nimbus JOSE+JWT: only signed tokens, only the algorithms of the configured key (so a
 * token cannot pick its own), the signature, {@code exp}/{@code nbf} within {@link AuthSettings#CLOCK_SKEW}, and the
 * issuer and audience when configured. Thread-safe.
 */
public final class TokenVerifier {

  /** The signing keys could not be fetched: the token may be fine, the server cannot tell now. */
  public static final class KeysUnavailableException extends RuntimeException {
    KeysUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final String rolesClaim;

  private TokenVerifier(JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms, AuthSettings settings) {
    this.rolesClaim = settings.rolesClaim();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    Set<String> required = new HashSet<>(Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME));
    if (settings.issuer() != null) {
      exact.issuer(settings.issuer());
      required.add(JWTClaimNames.ISSUER);
    }
    Set<String> audiences = settings.audience() == null ? null : Set.of(settings.audience());
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audiences, exact.build(),
        required, null);
    claims.setMaxClockSkew((int) AuthSettings.CLOCK_SKEW.toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * A verifier for these settings; reads the key file or secret now.
   *
   * @throws IllegalArgumentException when the key or secret cannot be used, saying why
   */
  public static TokenVerifier create(AuthSettings settings) {
    if (settings.hmacSecretFile() != null) {
      byte[] secret = read(settings.hmacSecretFile()).strip().getBytes(StandardCharsets.UTF_8);
      if (secret.length < AuthSettings.MIN_HMAC_SECRET_BYTES) {
        throw new IllegalArgumentException("the HS256 secret in " + settings.hmacSecretFile() + " has " + secret.length
            + " bytes; it needs at least " + AuthSettings.MIN_HMAC_SECRET_BYTES);
      }
      return new TokenVerifier(new ImmutableSecret<>(secret), Set.of(JWSAlgorithm.HS256), settings);
    }
    if (settings.publicKeyFile() != null) {
      PemPublicKey key = PemPublicKey.parse(read(settings.publicKeyFile()), settings.publicKeyFile().toString());
      return new TokenVerifier(new ImmutableJWKSet<>(new JWKSet(key.jwk())), Set.of(key.algorithm()), settings);
    }
    JWKSource<SecurityContext> remote;
    try {
      remote = JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().toURL())
          .cache(AuthSettings.JWKS_CACHE.toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
          .rateLimited(AuthSettings.JWKS_MIN_REFRESH_INTERVAL.toMillis())
          .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--auth-jwks-url " + settings.jwksUrl() + " is not a URL: " + e.getMessage());
    }
    return new TokenVerifier(remote, Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), settings);
  }

  /**
   * The principal a token stands for.
   *
   * @throws InvalidTokenException when the token is malformed, unsigned, signed otherwise than configured, expired,
   *     not yet valid, or for another issuer or audience
   * @throws KeysUnavailableException when the JWKS cannot be fetched
   */
  public Principal verify(String token) throws InvalidTokenException {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new InvalidTokenException("the token is not a well-formed JWT");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw new InvalidTokenException("the token is not signed (alg " + jwt.getHeader().getAlgorithm() + ")");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(signed, null);
    } catch (RateLimitReachedException e) {
      // the key set was fetched moments ago and holds no key for this token: forged key ids cannot force a fetch
      throw new InvalidTokenException("no key matches the token's key id (kid)");
    } catch (KeySourceException e) {
      throw new KeysUnavailableException("the token signing keys cannot be fetched: " + e.getMessage(), e);
    } catch (BadJOSEException e) {
      throw new InvalidTokenException(e.getMessage());
    } catch (JOSEException e) {
      throw new InvalidTokenException("the token could not be verified: " + e.getMessage());
    }
    return principal(claims, token);
  }

  private Principal principal(JWTClaimsSet claims, String token) throws InvalidTokenException {
    try {
      return new Principal(claims.getSubject(), roles(claims.getClaim(rolesClaim)),
          claims.getStringClaim(AuthSettings.OWNER_CLAIM), token);
    } catch (ParseException e) {
      throw new InvalidTokenException("claim '" + AuthSettings.OWNER_CLAIM + "' must be a string");
    }
  }

  /** Roles from an array of names, or from one space-separated string as OAuth scopes are written. */
  private static Set<Role> roles(Object claim) {
    List<?> names = claim instanceof List<?> list ? list
        : claim instanceof String text ? List.of(text.trim().split("\\s+")) : List.of();
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object name : names) {
      if (name instanceof String text) {
        Role.fromClaim(text).ifPresent(roles::add);
      }
    }
    return roles;
  }

  private static String read(java.nio.file.Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
