package io.ledgerstream.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** Signs test tokens the way an identity provider would, with Nimbus; the secret lives in a file like a deployment's. */
public final class TestTokens {

  public static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes!";

  private final byte[] secret;
  private final Path secretFile;

  private TestTokens(String secret, Path secretFile) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.secretFile = secretFile;
  }

  /** Tokens under {@link #SECRET}, written (with surrounding whitespace, as editors leave it) to {@code dir}. */
  public static TestTokens hmac(Path dir) {
    try {
      Files.createDirectories(dir);
      Path file = Files.writeString(dir.resolve("hmac-secret"), "  " + SECRET + "\n");
      return new TestTokens(SECRET, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path secretFile() {
    return secretFile;
  }

  public AuthSettings settings() {
    return AuthSettings.hmac(secretFile);
  }

  /** A valid token for {@code subject} with these roles, for ten minutes. */
  public String token(String subject, Role... roles) {
    return token(claims(subject, roles).build());
  }

  /** A token with the claims of {@link #token(String, Role...)} changed by {@code change}. */
  public String token(String subject, UnaryOperator<JWTClaimsSet.Builder> change, Role... roles) {
    return token(change.apply(claims(subject, roles)).build());
  }

  /** Signs any claims with the secret, HS256. */
  public String token(JWTClaimsSet claims) {
    return sign(claims, new JWSHeader(JWSAlgorithm.HS256), macSigner(secret));
  }

  /** The same claims signed with another secret of the right length. */
  public String tokenUnderOtherSecret(String subject, Role... roles) {
    return sign(claims(subject, roles).build(), new JWSHeader(JWSAlgorithm.HS256),
        macSigner("another-secret-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8)));
  }

  /** The claims of a valid token, unsigned ({@code alg: none}). */
  public static String unsignedToken(String subject, Role... roles) {
    return new PlainJWT(claims(subject, roles).build()).serialize();
  }

  /** Claims of a valid token: subject, roles, issued now, expiring in ten minutes. */
  public static JWTClaimsSet.Builder claims(String subject, Role... roles) {
    Instant now = Instant.now();
    List<String> names = Arrays.stream(roles).map(Role::claimValue).toList();
    return new JWTClaimsSet.Builder().subject(subject).claim(AuthSettings.DEFAULT_ROLES_CLAIM, names)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
  }

  public static String sign(JWTClaimsSet claims, JWSHeader header, JWSSigner signer) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static MACSigner macSigner(byte[] key) {
    try {
      return new MACSigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
