package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.transfer.TransferType;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API before a node attaches its projections: everything that is answered without Kafka (input checks, routing
 * errors, liveness, the OpenAPI document) over real HTTP.
 */
class HttpServerWithoutBackendTest {

  private static HttpServer server;
  private static HttpClientSupport http;

  @BeforeAll
  static void start() {
    server = HttpServer.start(0, null);
    http = new HttpClientSupport("http://localhost:" + server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void advertisesLocalhostWithTheBoundPortByDefault() {
    assertThat(server.advertised()).isEqualTo("localhost:" + server.port());
  }

  @Test
  void isLiveButNotReadyBeforeTheProjectionsAreAttached() {
    assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = http.get("/health/ready");
    assertProblem(ready, 503, "unavailable");
  }

  @Test
  void queriesAnswer503WhileStarting() {
    assertProblem(http.get("/accounts/A-1"), 503, "unavailable");
    assertProblem(http.get("/events/stream"), 503, "unavailable");
  }

  @Test
  void everyResponseNamesTheInstanceThatServedIt() {
    assertThat(http.get("/health/live").headers().firstValue(HttpServer.SERVED_BY_HEADER))
        .contains(server.advertised());
    assertThat(http.get("/no/such/route").headers().firstValue(HttpServer.SERVED_BY_HEADER))
        .contains(server.advertised());
  }

  @Test
  void unknownRouteIsA404Problem() {
    HttpResponse<String> response = http.get("/no/such/route");
    assertProblem(response, 404, "not-found");
    assertThat(json(response).path("instance").asText()).isEqualTo("/no/such/route");
  }

  @Test
  void wrongMethodIsA405Problem() {
    assertProblem(http.send(HttpRequest.newBuilder(URI.create(base() + "/accounts/A-1")).DELETE()), 405,
        "method-not-allowed");
  }

  @Test
  void malformedJsonIsA400Problem() {
    assertProblem(http.post("/accounts/A-1/commands", "{\"type\": \"OpenAccount\","), 400, "malformed-json");
  }

  @Test
  void aBodyThatIsNotAnObjectIsA400Problem() {
    assertProblem(http.post("/accounts/A-1/commands", "[1, 2]"), 400, "malformed-json");
    assertProblem(http.post("/accounts/A-1/commands", ""), 400, "malformed-json");
  }

  @Test
  void oversizedBodyIsA413Problem() {
    String big = "{\"type\":\"OpenAccount\",\"owner\":\"" + "x".repeat((int) HttpServer.MAX_REQUEST_BYTES) + "\"}";
    assertProblem(http.post("/accounts/A-1/commands", big), 413, "payload-too-large");
  }

  @Test
  void unknownCommandTypeIsA422Problem() {
    HttpResponse<String> response = http.post("/accounts/A-1/commands", "{\"type\":\"StealMoney\"}");
    assertProblem(response, 422, "invalid-command");
    assertThat(json(response).path("detail").asText()).contains("StealMoney").contains("OpenAccount");
  }

  @Test
  void unknownFieldIsA422Problem() {
    HttpResponse<String> response = http.post("/accounts/A-1/commands",
        "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\",\"colour\":\"red\"}");
    assertProblem(response, 422, "invalid-command");
    assertThat(json(response).path("detail").asText()).contains("colour");
  }

  @Test
  void missingFieldIsA422Problem() {
    HttpResponse<String> response = http.post("/accounts/A-1/commands", "{\"type\":\"OpenAccount\",\"owner\":\"alice\"}");
    assertProblem(response, 422, "invalid-command");
    assertThat(json(response).path("detail").asText()).contains("currency");
  }

  @Test
  void missingTypeIsA422Problem() {
    assertProblem(http.post("/accounts/A-1/commands", "{\"owner\":\"alice\"}"), 422, "invalid-command");
  }

  @Test
  void fractionalAmountIsA422Problem() {
    assertProblem(http.post("/accounts/A-1/commands", "{\"type\":\"DepositMoney\",\"amountMinor\":1.5}"), 422,
        "invalid-command");
  }

  @Test
  void negativeExpectedVersionIsA422Problem() {
    assertProblem(http.post("/accounts/A-1/commands",
        "{\"type\":\"DepositMoney\",\"amountMinor\":1,\"expectedVersion\":-1}"), 422, "invalid-command");
  }

  @Test
  void transferLegsAndWorkerCommandsAreForbidden() {
    for (String type : List.of("DebitForTransfer", "CreditForTransfer", "RefundTransfer")) {
      assertProblem(http.post("/accounts/A-1/commands", "{\"type\":\"" + type + "\"}"), 403, "reserved-command");
    }
    for (String type : List.of("RecordTransferDebit", "CompleteTransfer", "FailTransfer")) {
      assertProblem(http.post("/transfers/T-1/commands", "{\"type\":\"" + type + "\"}"), 403, "reserved-command");
    }
  }

  @Test
  void badQueryParametersAre400Problems() {
    assertProblem(http.get("/accounts/A-1?minVersion=abc"), 400, "bad-request");
    assertProblem(http.get("/accounts/A-1?asOf=yesterday"), 400, "bad-request");
    assertProblem(http.get("/accounts/A-1?timeout=999999"), 400, "bad-request");
    assertProblem(http.get("/accounts/A-1?allowStale=maybe"), 400, "bad-request");
    assertProblem(http.get("/accounts/A-1/events?limit=0"), 400, "bad-request");
    assertProblem(http.get("/accounts/A-1/events?limit=1001"), 400, "bad-request");
    assertProblem(http.get("/accounts/A-1/events?fromVersion=x"), 400, "bad-request");
    assertProblem(http.get("/stats?scope=everywhere"), 400, "bad-request");
    assertProblem(http.post("/accounts/A-1/commands?wait=31000", "{\"type\":\"CloseAccount\"}"), 400, "bad-request");
  }

  @Test
  void openApiDocumentsEveryRegisteredRoute() {
    JsonNode document = json(http.get("/openapi.json"));
    assertThat(document.path("openapi").asText()).startsWith("3.0");
    List<String> documented = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey()));
    }
    assertThat(server.routes()).hasSizeGreaterThanOrEqualTo(13);
    assertThat(documented).containsExactlyInAnyOrderElementsOf(server.routes());
  }

  @Test
  void openApiGivesEveryOperationResponsesAndResolvableReferences() {
    JsonNode document = json(http.get("/openapi.json"));
    document.path("paths").forEach(path -> path.forEach(operation ->
        assertThat(operation.path("responses").size()).isPositive()));
    String text = document.toString();
    java.util.regex.Matcher refs = java.util.regex.Pattern.compile("#/components/schemas/(\\w+)").matcher(text);
    while (refs.find()) {
      assertThat(document.path("components").path("schemas").has(refs.group(1))).as(refs.group(1)).isTrue();
    }
    JsonNode accountEvent = document.path("components").path("schemas").path("AccountEvent");
    assertThat(accountEvent.path("properties").path("payload").path("oneOf").size())
        .isEqualTo(AccountType.TYPE.eventTypes().size()).isGreaterThanOrEqualTo(7);
    // an older version read through an upcaster is not documented: clients only ever see the newest
    JsonNode transferEvents = document.path("components").path("schemas").path("TransferEvent")
        .path("properties").path("payload").path("oneOf");
    assertThat(transferEvents.size()).isEqualTo(TransferType.TYPE.eventTypes().size());
    List<JsonNode> requested = new ArrayList<>();
    transferEvents.forEach(branch -> {
      if (branch.path("properties").path("type").path("enum").path(0).asText().equals("TransferRequested")) {
        requested.add(branch);
      }
    });
    assertThat(requested).singleElement().satisfies(branch -> {
      assertThat(branch.path("properties").has("amount")).isTrue();
      assertThat(branch.path("properties").has("amountMinor")).isFalse();
    });
  }

  @Test
  void metricsAreInPrometheusTextWithLatencyPerRouteTemplate() {
    http.get("/accounts/some-account-id");
    HttpResponse<String> metrics = http.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body()).contains("http_server_requests_seconds_count")
        .contains("route=\"/accounts/{id}\"")
        .doesNotContain("some-account-id");
  }

  private static String base() {
    return "http://localhost:" + server.port();
  }

  static void assertProblem(HttpResponse<String> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(Problem.CONTENT_TYPE);
    JsonNode problem = json(response);
    assertThat(problem.path("type").asText()).isEqualTo(Problem.TYPE_PREFIX + slug);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("detail").asText()).isNotBlank();
    assertThat(problem.path("instance").asText()).startsWith("/");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
