package io.ledgerstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.avro.AccountEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

  private static final String JSON_TYPE = "application/vnd.schemaregistry.v1+json";

  private FakeConfluentRegistry registry;

  @BeforeEach
  void startRegistry() throws IOException {
    registry = new FakeConfluentRegistry();
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void registersAndReadsBackOverTheConfluentApi() {
    HttpSchemaRegistryClient client = client(registry.url());

    int id = client.register("orders-value", Samples.ORDER_V1);
    int v2 = client.register("orders-value", Samples.ORDER_V2_WITH_DEFAULT);

    assertThat(client.lookupId("orders-value", Samples.ORDER_V1)).isEqualTo(id);
    assertThat(client(registry.url()).schemaById(v2)).isEqualTo(Samples.ORDER_V2_WITH_DEFAULT);
    assertThat(client.latestVersion("orders-value")).isEqualTo(new RegisteredSchema("orders-value", v2, 2, Samples.ORDER_V2_WITH_DEFAULT));
    assertThat(client.version("orders-value", 1)).isEqualTo(new RegisteredSchema("orders-value", id, 1, Samples.ORDER_V1));
  }

  @Test
  void sendsTheRegistryContentTypeAndTheSchemaAsAString() {
    client(registry.url()).register("orders-value", AccountEvent.getClassSchema());

    FakeConfluentRegistry.Request request = registry.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/subjects/orders-value/versions");
    assertThat(request.header("Content-Type")).isEqualTo(JSON_TYPE);
    assertThat(request.header("Accept")).startsWith(JSON_TYPE);
    assertThat(request.body()).isEqualTo("{\"schema\":" + quoted(AccountEvent.getClassSchema().toString()) + "}");
  }

  @Test
  void cachesIdsAndSchemasOnceKnown() {
    HttpSchemaRegistryClient client = client(registry.url());

    int id = client.register("orders-value", Samples.ORDER_V1);
    client.register("orders-value", Samples.ORDER_V1);
    client.lookupId("orders-value", Samples.ORDER_V1);
    client.schemaById(id);

    assertThat(registry.requests()).hasSize(1);
  }

  @Test
  void testsCompatibilityAgainstTheLatestVersion() {
    HttpSchemaRegistryClient client = client(registry.url());
    client.register("orders-value", Samples.ORDER_V1);

    assertThat(client.isCompatible("orders-value", Samples.ORDER_V2_WITH_DEFAULT)).isTrue();
    assertThat(client.isCompatible("orders-value", Samples.ORDER_V2_REQUIRED_FIELD)).isFalse();
    assertThat(client.isCompatible("unknown-value", Samples.ORDER_V2_REQUIRED_FIELD)).isTrue();
    assertThat(registry.requests().get(1).path()).isEqualTo("/compatibility/subjects/orders-value/versions/latest");
  }

  @Test
  void readsAndWritesCompatibilityConfig() {
    HttpSchemaRegistryClient client = client(registry.url());

    client.setGlobalCompatibility(CompatibilityLevel.FULL);
    client.setCompatibility("orders-value", CompatibilityLevel.NONE);

    assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
    assertThat(client.compatibility("orders-value")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.compatibility("other-value")).isEqualTo(CompatibilityLevel.FULL);
    assertThat(registry.requests().get(0).body()).isEqualTo("{\"compatibility\":\"FULL\"}");
    assertThat(registry.requests().get(1).path()).isEqualTo("/config/orders-value");
  }

  @Test
  void fallsBackToTheGlobalLevelOnRegistriesWithoutDefaultToGlobal() {
    registry.enqueue(404, "{\"error_code\":40408,\"message\":\"Subject 'orders-value' does not have subject-level compatibility configured\"}");

    assertThat(client(registry.url()).compatibility("orders-value")).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(registry.requests()).extracting(FakeConfluentRegistry.Request::path)
        .containsExactly("/config/orders-value?defaultToGlobal=true", "/config");
  }

  @Test
  void encodesSubjectsInThePath() {
    HttpSchemaRegistryClient client = client(registry.url());

    client.register("team a/orders-value", Samples.ORDER_V1);

    assertThat(registry.requests().get(0).path()).isEqualTo("/subjects/team%20a%2Forders-value/versions");
    assertThat(registry.store.subjects()).containsExactly("team a/orders-value");
  }

  @Test
  void worksUnderABasePathSuchAsApicuriosCompatibilityApi() throws IOException {
    try (FakeConfluentRegistry apicurio = new FakeConfluentRegistry("/apis/ccompat/v7")) {
      HttpSchemaRegistryClient client = client(apicurio.url() + "/");

      int id = client.register("orders-value", Samples.ORDER_V1);

      assertThat(client.latestVersion("orders-value").id()).isEqualTo(id);
      assertThat(apicurio.requests().get(0).path()).isEqualTo("/apis/ccompat/v7/subjects/orders-value/versions");
    }
  }

  @Test
  void mapsConfluentErrorCodesToExceptions() {
    HttpSchemaRegistryClient client = client(registry.url());
    client.register("orders-value", Samples.ORDER_V1);

    assertThatThrownBy(() -> client.latestVersion("missing-value")).isInstanceOfSatisfying(SubjectNotFoundException.class,
        e -> assertThat(e).extracting(SchemaRegistryException::errorCode, SchemaRegistryException::httpStatus)
            .containsExactly(40401, 404));
    assertThatThrownBy(() -> client.version("orders-value", 7)).isInstanceOfSatisfying(VersionNotFoundException.class,
        e -> assertThat(e.errorCode()).isEqualTo(40402));
    assertThatThrownBy(() -> client.schemaById(404)).isInstanceOfSatisfying(SchemaNotFoundException.class,
        e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThatThrownBy(() -> client.lookupId("orders-value", Samples.ORDER_V2_WITH_DEFAULT))
        .isInstanceOf(SchemaNotFoundException.class);
    assertThatThrownBy(() -> client.register("orders-value", Samples.ORDER_V2_REQUIRED_FIELD))
        .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> assertThat(e.errorCode()).isEqualTo(409));
    assertThatThrownBy(() -> client.version("orders-value", 0)).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> assertThat(e.errorCode()).isEqualTo(42202));
  }

  @Test
  void mapsCannedRegistryErrors() {
    HttpSchemaRegistryClient client = client(registry.url());
    registry.enqueue(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
    registry.enqueue(422, "{\"error_code\":42203,\"message\":\"Invalid compatibility level\"}");
    registry.enqueue(409, "{\"error_code\":40901,\"message\":\"Schema being registered is incompatible\"}");

    assertThatThrownBy(() -> client.register("a-value", Samples.ORDER_V1)).isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("Invalid schema");
    assertThatThrownBy(() -> client.setCompatibility("a-value", CompatibilityLevel.FULL))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
    assertThatThrownBy(() -> client.register("a-value", Samples.ORDER_V1)).isInstanceOf(IncompatibleSchemaException.class);
  }

  @Test
  void namesTheUrlAndCallInErrors() {
    assertThatThrownBy(() -> client(registry.url()).latestVersion("missing-value"))
        .hasMessageContaining("GET " + registry.url() + "/subjects/missing-value/versions/latest")
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("error_code 40401");
  }

  @Test
  void explainsA404WithoutARegistryErrorCode() {
    registry.enqueue(404, "<html><body>Not Found</body></html>");

    assertThatThrownBy(() -> client(registry.url()).schemaById(1)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Not Found")
        .hasMessageContaining("base path");
  }

  @Test
  void retriesServiceUnavailableThenSucceeds() {
    registry.enqueue(503, "{\"error_code\":50003,\"message\":\"Error while forwarding the request to the leader\"}");
    registry.enqueue(503, "");

    int id = client(registry.url(), Map.of(SchemaRegistryConfig.MAX_RETRIES, 3)).register("orders-value", Samples.ORDER_V1);

    assertThat(id).isEqualTo(1);
    assertThat(registry.requests()).hasSize(3);
  }

  @Test
  void retriesStoreErrorsAndGivesUpAfterMaxRetries() {
    for (int i = 0; i < 3; i++) {
      registry.enqueue(500, "{\"error_code\":50001,\"message\":\"Error in the backend datastore\"}");
    }

    assertThatThrownBy(() -> client(registry.url(), Map.of(SchemaRegistryConfig.MAX_RETRIES, 2)).schemaById(1))
        .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
          assertThat(e.errorCode()).isEqualTo(50001);
          assertThat(e.httpStatus()).isEqualTo(500);
          assertThat(e).hasMessageContaining("backend datastore").hasMessageContaining("after 3 attempts");
        });
    assertThat(registry.requests()).hasSize(3);
  }

  @Test
  void doesNotRetryClientErrors() {
    registry.enqueue(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");

    assertThatThrownBy(() -> client(registry.url(), Map.of(SchemaRegistryConfig.MAX_RETRIES, 3)).register("a-value", Samples.ORDER_V1))
        .isInstanceOf(InvalidSchemaException.class);
    assertThat(registry.requests()).hasSize(1);
  }

  @Test
  void doesNotRetryNotImplemented() {
    registry.enqueue(501, "{\"error_code\":501,\"message\":\"Not implemented\"}");

    assertThatThrownBy(() -> client(registry.url(), Map.of(SchemaRegistryConfig.MAX_RETRIES, 3)).globalCompatibility())
        .isInstanceOf(RegistryProtocolException.class);
    assertThat(registry.requests()).hasSize(1);
  }

  @Test
  void timesOutASilentRegistry() {
    registry.stall(5_000);
    HttpSchemaRegistryClient client = client(registry.url(), Map.of(SchemaRegistryConfig.READ_TIMEOUT_MS, 200));

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.schemaById(1)).isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
      assertThat(e).hasMessageContaining("GET " + registry.url() + "/schemas/ids/1").hasMessageContaining("200 ms");
      assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.NONE);
    });
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
  }

  @Test
  void failsOverToTheNextUrlWhenOneIsUnreachable() throws IOException {
    String dead = "http://127.0.0.1:" + unusedPort();
    HttpSchemaRegistryClient client = client(dead + "," + registry.url());

    assertThat(client.register("orders-value", Samples.ORDER_V1)).isEqualTo(1);
    assertThat(client.latestVersion("orders-value").version()).isEqualTo(1);
    assertThat(registry.requests()).hasSize(2);
  }

  @Test
  void movesToTheNextUrlAfterAServerError() throws IOException {
    try (FakeConfluentRegistry second = new FakeConfluentRegistry()) {
      registry.enqueue(503, "");
      HttpSchemaRegistryClient client = client(registry.url() + "," + second.url(), Map.of(SchemaRegistryConfig.MAX_RETRIES, 1));

      client.register("orders-value", Samples.ORDER_V1);
      client.latestVersion("orders-value");

      assertThat(registry.requests()).hasSize(1);
      assertThat(second.requests()).hasSize(2);
    }
  }

  @Test
  void reportsEveryUrlUnreachableWithTheCause() throws IOException {
    String dead = "http://127.0.0.1:" + unusedPort();

    assertThatThrownBy(() -> client(dead).schemaById(1)).isInstanceOfSatisfying(RegistryUnavailableException.class,
        e -> assertThat(e).hasMessageContaining("GET " + dead + "/schemas/ids/1 failed").hasCauseInstanceOf(IOException.class));
  }

  @Test
  void sendsBasicAuthFromUserInfo() {
    registry.requireAuthorization(basic("alice:s3cret"));

    HttpSchemaRegistryClient client = client(registry.url(), Map.of(
        SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
        SchemaRegistryConfig.BASIC_AUTH_USER_INFO, "alice:s3cret"));

    assertThat(client.register("orders-value", Samples.ORDER_V1)).isEqualTo(1);
  }

  @Test
  void sendsBasicAuthFromCredentialsInTheUrl() {
    registry.requireAuthorization(basic("bob:pa ss"));
    String url = registry.url().replace("http://", "http://bob:pa%20ss@");

    assertThat(client(url).register("orders-value", Samples.ORDER_V1)).isEqualTo(1);
    assertThatThrownBy(() -> client(url).latestVersion("missing-value"))
        .isInstanceOf(SubjectNotFoundException.class)
        .message().doesNotContain("pa%20ss").doesNotContain("bob");
  }

  @Test
  void sendsABearerToken() {
    registry.requireAuthorization("Bearer token-123");

    HttpSchemaRegistryClient client = client(registry.url(), Map.of(
        SchemaRegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
        SchemaRegistryConfig.BEARER_AUTH_TOKEN, "token-123"));

    assertThat(client.register("orders-value", Samples.ORDER_V1)).isEqualTo(1);
  }

  @Test
  void explainsRejectedCredentialsWithoutRetrying() {
    registry.requireAuthorization(basic("alice:right"));

    HttpSchemaRegistryClient client = client(registry.url(), Map.of(SchemaRegistryConfig.BASIC_AUTH_USER_INFO, "alice:wrong"));

    assertThatThrownBy(() -> client.schemaById(1)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e).hasMessageContaining(SchemaRegistryConfig.BASIC_AUTH_USER_INFO).message().doesNotContain("wrong");
    });
    assertThat(registry.requests()).hasSize(1);
  }

  private static HttpSchemaRegistryClient client(String url) {
    return client(url, Map.of());
  }

  private static HttpSchemaRegistryClient client(String url, Map<String, Object> extra) {
    Map<String, Object> configs = new HashMap<>(Map.of(SchemaRegistryConfig.URL, url,
        SchemaRegistryConfig.RETRIES_WAIT_MS, 5, SchemaRegistryConfig.MAX_RETRIES, 0));
    configs.putAll(extra);
    return new HttpSchemaRegistryClient(configs);
  }

  private static String basic(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
