package io.ledgerstream.registry.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every route and error answer of the development registry over real HTTP, on the in-memory store. */
class DevSchemaRegistryHttpTest {

  static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
  static final String ACCOUNT_V1 = """
      {"type": "record", "name": "Account", "namespace": "test",
       "fields": [{"name": "id", "type": "string"}]}""";
  static final String ACCOUNT_V2_WITH_DEFAULT = """
      {"type": "record", "name": "Account", "namespace": "test",
       "fields": [{"name": "id", "type": "string"}, {"name": "owner", "type": "string", "default": ""}]}""";
  static final String ACCOUNT_WITHOUT_DEFAULT = """
      {"type": "record", "name": "Account", "namespace": "test",
       "fields": [{"name": "id", "type": "string"}, {"name": "balance", "type": "long"}]}""";
  static final String TRANSFER = """
      {"type": "record", "name": "Transfer", "namespace": "test",
       "fields": [{"name": "amount", "type": "long"}]}""";

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private InMemoryDevSchemaStore store;
  private DevSchemaRegistry registry;

  record Answer(int status, String contentType, JsonNode body) {
    int errorCode() {
      return body.path("error_code").asInt();
    }
  }

  @BeforeEach
  void start() {
    store = new InMemoryDevSchemaStore();
    registry = DevSchemaRegistry.start("localhost", 0, store);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void registersSchemaAndServesItByIdInCanonicalForm() throws Exception {
    Answer registered = register("accounts-value", ACCOUNT_V1);

    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.contentType()).isEqualTo(V1_JSON);
    assertThat(registered.body()).isEqualTo(json.readTree("{\"id\": 1}"));
    Answer byId = get("/schemas/ids/1");
    assertThat(byId.status()).isEqualTo(200);
    assertThat(byId.contentType()).isEqualTo(V1_JSON);
    assertThat(byId.body().get("schema").asText()).isEqualTo(canonical(ACCOUNT_V1));
  }

  @Test
  void givesTheSameIdToTheSameSchemaUnderAnotherSubjectWithItsOwnVersions() throws Exception {
    register("transfers-value", TRANSFER);
    int id = register("accounts-value", ACCOUNT_V1).body().get("id").asInt();

    assertThat(register("archive-value", ACCOUNT_V1).body().get("id").asInt()).isEqualTo(id);
    assertThat(get("/subjects/archive-value/versions/latest").body())
        .isEqualTo(json.valueToTree(Map.of("subject", "archive-value", "version", 1, "id", id,
            "schema", canonical(ACCOUNT_V1))));
    assertThat(get("/schemas/ids/" + id + "/versions").body()).isEqualTo(json.readTree(
        "[{\"subject\": \"accounts-value\", \"version\": 1}, {\"subject\": \"archive-value\", \"version\": 1}]"));
    assertThat(get("/schemas/ids/" + id + "/subjects").body())
        .isEqualTo(json.readTree("[\"accounts-value\", \"archive-value\"]"));
  }

  @Test
  void reRegisteringAnIdenticalSchemaReturnsItsIdAndCreatesNoVersion() throws Exception {
    register("accounts-value", ACCOUNT_V1);
    register("accounts-value", ACCOUNT_V2_WITH_DEFAULT);

    String reformatted = ACCOUNT_V1.replace(" ", "").replace("\n", "\n\n  ");
    assertThat(register("accounts-value", reformatted).body().get("id").asInt()).isEqualTo(1);
    assertThat(register("accounts-value", ACCOUNT_V2_WITH_DEFAULT).body().get("id").asInt()).isEqualTo(2);
    assertThat(get("/subjects/accounts-value/versions").body()).isEqualTo(json.readTree("[1, 2]"));
  }

  @Test
  void rejectsABackwardIncompatibleSchemaWith409() throws Exception {
    register("accounts-value", ACCOUNT_V1);

    Answer rejected = register("accounts-value", ACCOUNT_WITHOUT_DEFAULT);

    assertThat(rejected.status()).isEqualTo(409);
    assertThat(rejected.errorCode()).isEqualTo(409);
    assertThat(rejected.contentType()).isEqualTo(V1_JSON);
    assertThat(rejected.body().get("message").asText())
        .startsWith("Schema being registered is incompatible with an earlier schema for subject \"accounts-value\"")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "balance");
    assertThat(get("/subjects/accounts-value/versions").body()).isEqualTo(json.readTree("[1]"));
  }

  @Test
  void enforcesTheSubjectLevelOverTheGlobalLevel() throws Exception {
    register("accounts-value", ACCOUNT_V1);
    put("/config/accounts-value", "{\"compatibility\": \"FORWARD\"}");

    assertThat(register("accounts-value", ACCOUNT_WITHOUT_DEFAULT).status()).isEqualTo(200);
    assertThat(register("other-value", ACCOUNT_V1).status()).isEqualTo(200);
    assertThat(register("other-value", ACCOUNT_WITHOUT_DEFAULT).status()).isEqualTo(409);
    put("/config", "{\"compatibility\": \"NONE\"}");
    assertThat(register("other-value", TRANSFER).status()).isEqualTo(200);
  }

  @Test
  void transitiveLevelsCheckEveryEarlierVersion() throws Exception {
    String withoutId = """
        {"type": "record", "name": "Account", "namespace": "test", "fields": []}""";
    String idAsNumber = """
        {"type": "record", "name": "Account", "namespace": "test",
         "fields": [{"name": "id", "type": "int", "default": 0}]}""";
    register("accounts-value", ACCOUNT_V1);
    register("accounts-value", withoutId);
    put("/config/accounts-value", "{\"compatibility\": \"BACKWARD_TRANSITIVE\"}");

    assertThat(register("accounts-value", idAsNumber).status()).isEqualTo(409);
    put("/config/accounts-value", "{\"compatibility\": \"BACKWARD\"}");
    assertThat(register("accounts-value", idAsNumber).status()).isEqualTo(200);
  }

  @Test
  void looksUpASchemaUnderASubject() throws Exception {
    register("accounts-value", ACCOUNT_V1);
    register("accounts-value", ACCOUNT_V2_WITH_DEFAULT);

    Answer found = post("/subjects/accounts-value", schemaRequest(ACCOUNT_V2_WITH_DEFAULT));

    assertThat(found.status()).isEqualTo(200);
    assertThat(found.body()).isEqualTo(json.valueToTree(Map.of("subject", "accounts-value", "version", 2,
        "id", 2, "schema", canonical(ACCOUNT_V2_WITH_DEFAULT))));
    assertError(post("/subjects/unknown-value", schemaRequest(ACCOUNT_V1)), 404, 40401);
    assertError(post("/subjects/accounts-value", schemaRequest(TRANSFER)), 404, 40403);
    assertError(post("/subjects/accounts-value", schemaRequest("{\"type\": \"record\"}")), 422, 42201);
  }

  @Test
  void listsSubjectsAndVersions() throws Exception {
    assertThat(get("/subjects").body()).isEqualTo(json.readTree("[]"));
    register("transfers-value", TRANSFER);
    register("accounts-value", ACCOUNT_V1);
    register("accounts-value", ACCOUNT_V2_WITH_DEFAULT);

    assertThat(get("/subjects").body()).isEqualTo(json.readTree("[\"accounts-value\", \"transfers-value\"]"));
    assertThat(get("/subjects/accounts-value/versions").body()).isEqualTo(json.readTree("[1, 2]"));
    assertError(get("/subjects/unknown-value/versions"), 404, 40401);
  }

  @Test
  void servesSubjectVersionsByNumberOrLatest() throws Exception {
    register("accounts-value", ACCOUNT_V1);
    register("accounts-value", ACCOUNT_V2_WITH_DEFAULT);

    assertThat(get("/subjects/accounts-value/versions/1").body().get("id").asInt()).isEqualTo(1);
    assertThat(get("/subjects/accounts-value/versions/latest").body().get("version").asInt()).isEqualTo(2);
    assertThat(get("/subjects/accounts-value/versions/-1").body().get("version").asInt()).isEqualTo(2);
    Answer schemaOnly = get("/subjects/accounts-value/versions/1/schema");
    assertThat(schemaOnly.body()).isEqualTo(json.readTree(ACCOUNT_V1));
    assertError(get("/subjects/accounts-value/versions/3"), 404, 40402);
    assertError(get("/subjects/unknown-value/versions/latest"), 404, 40401);
    assertError(get("/subjects/accounts-value/versions/abc"), 422, 42202);
    assertError(get("/subjects/accounts-value/versions/0"), 422, 42202);
  }

  @Test
  void answersUnknownSchemaIds() throws Exception {
    assertError(get("/schemas/ids/99"), 404, 40403);
    assertThat(get("/schemas/ids/99").body().get("message").asText()).isEqualTo("Schema 99 not found");
    assertError(get("/schemas/ids/99/versions"), 404, 40403);
    assertError(get("/schemas/ids/abc"), 404, 404);
  }

  @Test
  void testsCompatibilityAgainstAVersionWithoutRegistering() throws Exception {
    register("accounts-value", ACCOUNT_V1);

    assertThat(post("/compatibility/subjects/accounts-value/versions/latest", schemaRequest(ACCOUNT_V2_WITH_DEFAULT))
        .body()).isEqualTo(json.readTree("{\"is_compatible\": true}"));
    assertThat(post("/compatibility/subjects/accounts-value/versions/1", schemaRequest(ACCOUNT_WITHOUT_DEFAULT))
        .body()).isEqualTo(json.readTree("{\"is_compatible\": false}"));
    Answer verbose = post("/compatibility/subjects/accounts-value/versions/latest?verbose=true",
        schemaRequest(ACCOUNT_WITHOUT_DEFAULT));
    assertThat(verbose.body().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.body().get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(post("/compatibility/subjects/new-value/versions/latest", schemaRequest(TRANSFER)).body())
        .isEqualTo(json.readTree("{\"is_compatible\": true}"));
    assertThat(post("/compatibility/subjects/accounts-value/versions", schemaRequest(ACCOUNT_V2_WITH_DEFAULT))
        .body()).isEqualTo(json.readTree("{\"is_compatible\": true}"));
    assertThat(get("/subjects/accounts-value/versions").body()).isEqualTo(json.readTree("[1]"));
  }

  @Test
  void answersCompatibilityErrorsWithConfluentCodes() throws Exception {
    register("accounts-value", ACCOUNT_V1);

    assertError(post("/compatibility/subjects/accounts-value/versions/7", schemaRequest(ACCOUNT_V1)), 404, 40402);
    assertError(post("/compatibility/subjects/accounts-value/versions/first", schemaRequest(ACCOUNT_V1)), 422, 42202);
    assertError(post("/compatibility/subjects/accounts-value/versions/latest", schemaRequest("{]")), 422, 42201);
    Answer verbose = post("/compatibility/subjects/accounts-value/versions/latest?verbose=true", schemaRequest("{]"));
    assertThat(verbose.status()).isEqualTo(200);
    assertThat(verbose.body().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.body().get("messages")).hasSize(1);
  }

  @Test
  void readsAndUpdatesGlobalAndSubjectCompatibility() throws Exception {
    assertThat(get("/config").body()).isEqualTo(json.readTree("{\"compatibilityLevel\": \"BACKWARD\"}"));
    Answer updated = put("/config", "{\"compatibility\": \"full\"}");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.contentType()).isEqualTo(V1_JSON);
    assertThat(updated.body()).isEqualTo(json.readTree("{\"compatibility\": \"full\"}"));
    assertThat(get("/config").body()).isEqualTo(json.readTree("{\"compatibilityLevel\": \"FULL\"}"));

    Answer notConfigured = get("/config/accounts-value");
    assertError(notConfigured, 404, 40408);
    assertThat(notConfigured.body().get("message").asText())
        .isEqualTo("Subject 'accounts-value' does not have subject-level compatibility configured");
    assertThat(get("/config/accounts-value?defaultToGlobal=true").body())
        .isEqualTo(json.readTree("{\"compatibilityLevel\": \"FULL\"}"));
    put("/config/accounts-value", "{\"compatibility\": \"NONE\"}");
    assertThat(get("/config/accounts-value").body()).isEqualTo(json.readTree("{\"compatibilityLevel\": \"NONE\"}"));
  }

  @Test
  void rejectsInvalidCompatibilityLevels() throws Exception {
    assertError(put("/config", "{\"compatibility\": \"SIDEWAYS\"}"), 422, 42203);
    assertError(put("/config/accounts-value", "{\"compatibility\": \"SIDEWAYS\"}"), 422, 42203);
    assertError(put("/config", "{}"), 422, 42203);
    assertThat(get("/config").body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
  }

  @Test
  void rejectsInvalidSchemasWith42201() throws Exception {
    assertError(register("accounts-value", "{\"type\": \"record\", \"name\": \"NoFields\"}"), 422, 42201);
    assertError(register("accounts-value", "not avro at all"), 422, 42201);
    assertError(post("/subjects/accounts-value/versions", "{}"), 422, 42201);
    assertError(post("/subjects/accounts-value/versions",
        json.writeValueAsString(Map.of("schema", "{\"type\": \"string\"}", "schemaType", "PROTOBUF"))), 422, 42201);
    assertError(post("/subjects/accounts-value/versions", json.writeValueAsString(Map.of("schema", ACCOUNT_V1,
        "references", List.of(Map.of("name", "x", "subject", "y", "version", 1))))), 422, 42201);
    assertThat(get("/subjects").body()).isEmpty();
  }

  @Test
  void acceptsExplicitAvroTypeEmptyReferencesAndPlainJsonBodies() throws Exception {
    String request = json.writeValueAsString(Map.of("schema", ACCOUNT_V1, "schemaType", "AVRO", "references", List.of()));

    assertThat(send("POST", "/subjects/a-value/versions", request, "application/json").body().get("id").asInt())
        .isEqualTo(1);
    assertThat(send("POST", "/subjects/b-value/versions", request, "application/octet-stream").status())
        .isEqualTo(200);
    assertThat(send("POST", "/subjects/c-value/versions", request, "application/vnd.schemaregistry+json").status())
        .isEqualTo(200);
  }

  @Test
  void answersInTheTypeTheClientAccepts() throws Exception {
    assertThat(send("GET", "/config", null, null, "*/*").contentType()).isEqualTo(V1_JSON);
    assertThat(send("GET", "/config", null, null, "application/json").contentType()).isEqualTo("application/json");
    assertThat(send("GET", "/schemas/ids/1", null, null, "application/json").contentType())
        .isEqualTo("application/json");
  }

  @Test
  void answersMalformedRequestsWithClientErrorsAndNoStackTrace() throws Exception {
    Answer garbage = post("/subjects/accounts-value/versions", "{\"schema\": ");
    assertError(garbage, 400, 400);
    assertError(post("/subjects/accounts-value/versions", "not json"), 400, 400);
    assertError(post("/subjects/accounts-value/versions", "[1, 2]"), 400, 400);
    assertError(post("/subjects/accounts-value/versions", "{\"schema\": {\"type\": \"string\"}}"), 400, 400);
    assertError(put("/config", "{\"compatibility\": "), 400, 400);
    assertError(post("/subjects/accounts-value/versions", ""), 422, 422);
    assertError(send("POST", "/subjects/accounts-value/versions", schemaRequest(ACCOUNT_V1), "text/plain"), 415, 415);
    assertError(get("/no/such/route"), 404, 404);
    assertError(send("DELETE", "/config", null, null), 405, 405);
    assertThat(garbage.body().get("message").asText()).doesNotContain("\tat ", "Exception");
  }

  @Test
  void answersStoreFailuresWith50001() throws Exception {
    registry.close();
    registry = DevSchemaRegistry.start("localhost", 0, new FailingStore());

    assertError(register("accounts-value", ACCOUNT_V1), 500, 50001);
    assertError(put("/config", "{\"compatibility\": \"FULL\"}"), 500, 50001);
    assertThat(get("/subjects").body()).isEmpty();
    assertThat(get("/config").body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
  }

  @Test
  void keepsIdsVersionsAndConfigAcrossARestartOnTheSameStore() throws Exception {
    register("transfers-value", TRANSFER);
    register("accounts-value", ACCOUNT_V1);
    register("accounts-value", ACCOUNT_V2_WITH_DEFAULT);
    put("/config/accounts-value", "{\"compatibility\": \"FULL\"}");
    registry.close();

    registry = DevSchemaRegistry.start("localhost", 0, store);

    assertThat(get("/subjects/accounts-value/versions/latest").body().get("id").asInt()).isEqualTo(3);
    assertThat(get("/config/accounts-value").body().get("compatibilityLevel").asText()).isEqualTo("FULL");
    assertThat(register("accounts-value", ACCOUNT_V1).body().get("id").asInt()).isEqualTo(2);
    assertThat(register("orders-value", ACCOUNT_WITHOUT_DEFAULT).body().get("id").asInt()).isEqualTo(4);
  }

  private void assertError(Answer answer, int status, int errorCode) {
    assertThat(answer.status()).as("HTTP status of %s", answer.body()).isEqualTo(status);
    assertThat(answer.errorCode()).as("error_code of %s", answer.body()).isEqualTo(errorCode);
    assertThat(answer.contentType()).isEqualTo(V1_JSON);
    assertThat(answer.body().get("message").asText()).isNotBlank();
  }

  private static String canonical(String schema) {
    return new Schema.Parser().parse(schema).toString();
  }

  private String schemaRequest(String schema) throws Exception {
    return json.writeValueAsString(Map.of("schema", schema));
  }

  private Answer register(String subject, String schema) throws Exception {
    return post("/subjects/" + subject + "/versions", schemaRequest(schema));
  }

  private Answer get(String path) throws Exception {
    return send("GET", path, null, null);
  }

  private Answer post(String path, String body) throws Exception {
    return send("POST", path, body, V1_JSON);
  }

  private Answer put(String path, String body) throws Exception {
    return send("PUT", path, body, V1_JSON);
  }

  private Answer send(String method, String path, String body, String contentType) throws Exception {
    return send(method, path, body, contentType, null);
  }

  private Answer send(String method, String path, String body, String contentType, String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (accept != null) {
      request.header("Accept", accept);
    }
    var response = http.send(request.build(), BodyHandlers.ofString());
    JsonNode answer = response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
    return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), answer);
  }

  /** A store whose writes always fail, as a broker that is down would. */
  private static final class FailingStore implements DevSchemaStore {
    @Override
    public List<DevStoreRecord> load() {
      return List.of();
    }

    @Override
    public void append(DevStoreRecord record) {
      throw new DevSchemaStoreException("broker unavailable", null);
    }

    @Override
    public void close() {
    }
  }
}
