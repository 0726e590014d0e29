package io.ledgerstream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.ledgerstream.security.AuthSettings;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TestTokens;
import io.ledgerstream.testing.TargetDirs;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The protections that need no Kafka, on real servers over real HTTP(S): TLS from PEM files and from a PKCS#12
 * keystore with a real handshake, CORS for the one allowed origin, tokens signed with a PEM public key, and the
 * operations routes behind a token.
 */
class HttpServerProtectionTest {

  private static final String PASSWORD = "keystore-password";

  private final Path dir = TargetDirs.fresh("http-server-protection-test");

  @Test
  void servesHttpsFromAPemCertificateAndKeyWithARealHandshake() throws Exception {
    Path keystore = selfSignedKeystore();
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    KeyStore store = load(keystore);
    Files.writeString(cert, pem("CERTIFICATE", store.getCertificate("server").getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", store.getKey("server", PASSWORD.toCharArray()).getEncoded()));

    assertServesHttpsOnly(new HttpTls(cert, key, null, null), store.getCertificate("server"));
  }

  @Test
  void servesHttpsFromAPkcs12Keystore() throws Exception {
    Path keystore = selfSignedKeystore();
    Path password = Files.writeString(dir.resolve("password"), PASSWORD + "\n");

    assertServesHttpsOnly(new HttpTls(null, null, keystore, password), load(keystore).getCertificate("server"));
  }

  @Test
  void refusesAKeyThatIsNotPkcs8WithAHint() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE",
        load(selfSignedKeystore()).getCertificate("server").getEncoded()));
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> new HttpTls(cert, key, null, null).sslContextFactory())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openssl pkcs8");
  }

  @Test
  void answersPreflightsOfTheAllowedOriginOnly() {
    ApiSecurity security = new ApiSecurity(null, null, false, "https://app.example.com", null, null);
    try (HttpServer server = HttpServer.start(0, null, SubscriptionSettings.DEFAULTS, security)) {
      HttpClientSupport http = new HttpClientSupport(server.url());

      HttpResponse<String> allowed = http.send(preflight(server, "https://app.example.com"));
      HttpResponse<String> other = http.send(preflight(server, "https://evil.example.com"));
      HttpResponse<String> simple = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health/live"))
          .header("Origin", "https://app.example.com").GET());

      assertThat(allowed.statusCode()).isBetween(200, 299);
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
      assertThat(other.statusCode()).isEqualTo(403);
      assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      assertThat(simple.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
    }
  }

  @Test
  void acceptsRs256TokensOfAPemKeyAndRefusesAnHs256TokenSignedWithItsBytes() throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    Path publicKey = Files.writeString(dir.resolve("issuer.pem"), pem("PUBLIC KEY", rsa.toPublicKey().getEncoded()));
    ApiSecurity security = new ApiSecurity(null, new AuthSettings(null, publicKey, null, null, null, null), false,
        null, null, null);
    try (HttpServer server = HttpServer.start(0, null, SubscriptionSettings.DEFAULTS, security)) {
      HttpClientSupport http = new HttpClientSupport(server.url());
      String rs256 = TestTokens.sign(TestTokens.claims("alice", Role.READ).build(), new JWSHeader(JWSAlgorithm.RS256),
          new RSASSASigner(rsa));
      String confused = TestTokens.sign(TestTokens.claims("mallory", Role.READ, Role.WRITE, Role.ADMIN).build(),
          new JWSHeader(JWSAlgorithm.HS256), TestTokens.macSigner(Files.readAllBytes(publicKey)));

      // accepted, then 503 only because this server has no projections behind it
      assertThat(http.send(bearer(server, "/accounts/A-1", rs256)).statusCode()).isEqualTo(503);
      HttpResponse<String> refused = http.send(bearer(server, "/accounts/A-1", confused));
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    }
  }

  @Test
  void operationsRoutesNeedAReadTokenWhenConfiguredSo() {
    TestTokens tokens = TestTokens.hmac(dir);
    ApiSecurity security = new ApiSecurity(null, tokens.settings(), false, null, null,
        ApiSecurity.OperationsAccess.TOKEN);
    try (HttpServer server = HttpServer.start(0, null, SubscriptionSettings.DEFAULTS, security)) {
      HttpClientSupport http = new HttpClientSupport(server.url());

      assertThat(http.get("/metrics").statusCode()).isEqualTo(401);
      assertThat(http.get("/openapi.json").statusCode()).isEqualTo(401);
      assertThat(http.send(bearer(server, "/metrics", tokens.token("prometheus", Role.WRITE))).statusCode())
          .isEqualTo(403);
      assertThat(http.send(bearer(server, "/metrics", tokens.token("prometheus", Role.READ))).statusCode())
          .isEqualTo(200);
      assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
    }
  }

  private void assertServesHttpsOnly(HttpTls tls, Certificate trusted) throws Exception {
    ApiSecurity security = new ApiSecurity(null, null, false, null, tls, null);
    try (HttpServer server = HttpServer.start(0, null, SubscriptionSettings.DEFAULTS, security)) {
      assertThat(server.url()).startsWith("https://localhost:");
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(trusted))
          .connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> live = trusting.send(HttpRequest.newBuilder(URI.create(server.url() + "/health/live"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.sslSession()).hasValueSatisfying(session ->
          assertThat(session.getProtocol()).startsWith("TLSv1."));

      HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThatThrownBy(() -> defaultTrust.send(HttpRequest.newBuilder(URI.create(server.url() + "/health/live"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
      assertThatThrownBy(() -> defaultTrust.send(HttpRequest.newBuilder(
              URI.create("http://localhost:" + server.port() + "/health/live")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  /** A self-signed certificate for localhost and 127.0.0.1 made by the JDK's keytool, as an operator would. */
  private Path selfSignedKeystore() throws Exception {
    Path keystore = dir.resolve("server-" + System.nanoTime() + ".p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
        "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return keystore;
  }

  private static KeyStore load(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static SSLContext trusting(Certificate certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", certificate);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static HttpRequest.Builder preflight(HttpServer server, String origin) {
    return HttpRequest.newBuilder(URI.create(server.url() + "/accounts/A-1/commands"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
  }

  private static HttpRequest.Builder bearer(HttpServer server, String path, String token) {
    return HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + token).GET();
  }
}
