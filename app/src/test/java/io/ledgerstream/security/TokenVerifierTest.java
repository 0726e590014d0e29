package io.ledgerstream.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.ledgerstream.testing.TargetDirs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The token checks on their own: Nimbus configured as the HTTP API uses it, with keys made here. */
class TokenVerifierTest {

  private final Path dir = TargetDirs.fresh("token-verifier-test");
  private final TestTokens tokens = TestTokens.hmac(dir);
  private final TokenVerifier hmac = TokenVerifier.create(tokens.settings());

  @Test
  void acceptsAValidTokenAndReadsItsSubjectRolesAndOwner() throws Exception {
    Principal principal = hmac.verify(tokens.token("alice", claims -> claims.claim("owner", "alice")
        .claim("roles", List.of("ledger.read", "ledger.write", "something.else")), Role.READ));

    assertThat(principal.subject()).isEqualTo("alice");
    assertThat(principal.roles()).containsExactlyInAnyOrder(Role.READ, Role.WRITE);
    assertThat(principal.scopedOwner()).contains("alice");
    assertThat(principal.toString()).doesNotContain(principal.token());
  }

  @Test
  void readsTheRolesFromTheConfiguredClaim() throws Exception {
    TokenVerifier custom = TokenVerifier.create(new AuthSettings(null, null, tokens.secretFile(), null, null,
        "ledger_roles"));

    Principal principal = custom.verify(tokens.token("bob", claims -> claims.claim("ledger_roles",
        List.of("ledger.admin"))));

    assertThat(principal.roles()).containsExactly(Role.ADMIN);
  }

  @Test
  void refusesASecretShorterThan32Bytes() throws Exception {
    Path shortSecret = Files.writeString(dir.resolve("short"), "  thirty-one-bytes-is-not-enough  \n");

    assertThatThrownBy(() -> TokenVerifier.create(AuthSettings.hmac(shortSecret)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32");
  }

  @Test
  void refusesABadSignature() {
    assertRefused(hmac, tokens.tokenUnderOtherSecret("mallory", Role.ADMIN), "signature");
  }

  @Test
  void refusesAnExpiredTokenButToleratesASmallClockSkew() throws Exception {
    Instant now = Instant.now();
    String expired = tokens.token("alice", c -> c.expirationTime(Date.from(now.minus(Duration.ofMinutes(5)))),
        Role.READ);
    String justExpired = tokens.token("alice", c -> c.expirationTime(Date.from(now.minus(Duration.ofSeconds(20)))),
        Role.READ);

    assertRefused(hmac, expired, "Expired");
    assertThat(hmac.verify(justExpired).subject()).isEqualTo("alice");
  }

  @Test
  void refusesATokenNotValidYet() {
    String future = tokens.token("alice", c -> c.notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))),
        Role.READ);

    assertRefused(hmac, future, "before");
  }

  @Test
  void refusesATokenWithoutExpiryOrSubject() {
    assertRefused(hmac, tokens.token("alice", c -> c.expirationTime(null), Role.READ), "exp");
    assertRefused(hmac, tokens.token(null, Role.READ), "sub");
  }

  @Test
  void refusesAnotherIssuerOrAudience() throws Exception {
    TokenVerifier strict = TokenVerifier.create(tokens.settings().requiring("https://id.example", "ledger"));
    String right = tokens.token("alice", c -> c.issuer("https://id.example").audience(List.of("ledger", "other")),
        Role.READ);

    assertThat(strict.verify(right).subject()).isEqualTo("alice");
    assertRefused(strict, tokens.token("alice", c -> c.issuer("https://evil.example").audience("ledger"), Role.READ),
        "iss");
    assertRefused(strict, tokens.token("alice", c -> c.issuer("https://id.example").audience("other"), Role.READ),
        "aud");
    assertRefused(strict, tokens.token("alice", Role.READ), "iss");
  }

  @Test
  void refusesAnUnsignedToken() {
    assertRefused(hmac, TestTokens.unsignedToken("mallory", Role.ADMIN), "not signed");
  }

  @Test
  void refusesGarbage() {
    for (String garbage : List.of("", "x", "a.b.c", "eyJhbGciOiJIUzI1NiJ9..", "....", "ü.ü.ü")) {
      assertRefused(hmac, garbage, "");
    }
  }

  @Test
  void acceptsRs256FromAPemPublicKeyAndRefusesAnHs256TokenSignedWithThatKeysBytes() throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    Path pem = writePem("rsa.pem", rsa.toPublicKey());
    TokenVerifier verifier = TokenVerifier.create(new AuthSettings(null, pem, null, null, null, null));

    String rs256 = TestTokens.sign(TestTokens.claims("alice", Role.READ).build(), new JWSHeader(JWSAlgorithm.RS256),
        new RSASSASigner(rsa));
    assertThat(verifier.verify(rs256).subject()).isEqualTo("alice");

    // the classic confusion: the public key, which anyone may hold, used as an HMAC secret
    for (byte[] publicBytes : List.of(Files.readAllBytes(pem), rsa.toPublicKey().getEncoded())) {
      String confused = TestTokens.sign(TestTokens.claims("mallory", Role.ADMIN).build(),
          new JWSHeader(JWSAlgorithm.HS256), TestTokens.macSigner(publicBytes));
      assertRefused(verifier, confused, "");
    }
  }

  @Test
  void acceptsEs256FromAPemPublicKeyOnly() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    TokenVerifier verifier = TokenVerifier.create(new AuthSettings(null, writePem("ec.pem", ec.toPublicKey()), null,
        null, null, null));
    ECKey other = new ECKeyGenerator(Curve.P_256).generate();

    String es256 = TestTokens.sign(TestTokens.claims("alice", Role.WRITE).build(), new JWSHeader(JWSAlgorithm.ES256),
        new ECDSASigner(ec));
    String otherKey = TestTokens.sign(TestTokens.claims("alice", Role.WRITE).build(),
        new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(other));

    assertThat(verifier.verify(es256).roles()).containsExactly(Role.WRITE);
    assertRefused(verifier, otherKey, "signature");
  }

  @Test
  void fetchesTheKeySetAgainForAnUnknownKeyIdAtMostOncePerInterval() throws Exception {
    RSAKey first = new RSAKeyGenerator(2048).keyID("first").generate();
    RSAKey rotated = new RSAKeyGenerator(2048).keyID("rotated").generate();
    AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(first.toPublicJWK()));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwks.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jwks.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
      TokenVerifier verifier = TokenVerifier.create(new AuthSettings(url, null, null, null, null, null));

      assertThat(verifier.verify(rs256(first, "alice")).subject()).isEqualTo("alice");
      assertThat(verifier.verify(rs256(first, "alice")).subject()).isEqualTo("alice");
      assertThat(fetches).hasValue(1);

      published.set(new JWKSet(List.of(first.toPublicJWK(), rotated.toPublicJWK())));
      assertThat(verifier.verify(rs256(rotated, "bob")).subject()).isEqualTo("bob");
      int afterRotation = fetches.get();
      assertThat(afterRotation).isEqualTo(2);

      for (int i = 0; i < 20; i++) {
        RSAKey unknown = new RSAKeyGenerator(2048).keyID("forged-" + i).generate();
        assertRefused(verifier, rs256(unknown, "mallory"), "");
      }
      assertThat(fetches.get() - afterRotation).as("fetches for 20 unknown key ids").isLessThanOrEqualTo(1);
    } finally {
      jwks.stop(0);
    }
  }

  private static String rs256(RSAKey key, String subject) throws Exception {
    return TestTokens.sign(TestTokens.claims(subject, Role.READ).build(),
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), new RSASSASigner(key));
  }

  private Path writePem(String name, PublicKey key) throws Exception {
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    return Files.writeString(dir.resolve(name), pem);
  }

  private static void assertRefused(TokenVerifier verifier, String token, String reason) {
    assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining(reason);
  }
}
