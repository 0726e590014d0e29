package io.ledgerstream.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Signs HS256 tokens with the same secret file {@code --auth-hmac-secret-file} verifies them with, for development
 * and tests; production tokens come from an identity provider (JWKS or a public key).
 */
public final class DevelopmentTokens {

  private DevelopmentTokens() {
  }

  /**
   * A token for {@code subject} with these roles, valid for {@code ttl}.
   *
   * @param owner the owner the token is scoped to; null for any
   * @param issuer the {@code iss}; null for none
   * @param audience the {@code aud}; null for none
   */
  public static String sign(Path secretFile, String subject, List<Role> roles, String owner, String issuer,
                            String audience, Duration ttl) {
    byte[] secret;
    try {
      secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + secretFile + ": " + e.getMessage(), e);
    }
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
        .claim(AuthSettings.DEFAULT_ROLES_CLAIM, roles.stream().map(Role::claimValue).toList())
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)));
    if (owner != null) {
      claims.claim(AuthSettings.OWNER_CLAIM, owner);
    }
    if (issuer != null) {
      claims.issuer(issuer);
    }
    if (audience != null) {
      claims.audience(audience);
    }
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign with the secret in " + secretFile + ": " + e.getMessage(), e);
    }
  }
}
