package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static io.ledgerstream.http.HttpServerWithoutBackendTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.Ledger;
import io.ledgerstream.counter.CounterType;
import io.ledgerstream.lake.ExportListener;
import io.ledgerstream.lake.LakeExporter;
import io.ledgerstream.lake.LakeSettings;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.testing.TargetDirs;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A third aggregate type registered by a test fixture (a counter) and nothing else: on the real broker it takes
 * commands over HTTP, shows its events, streams them live and exports them to the lake.
 */
class ThirdAggregateTypeTest {

  private static final String WAIT = "?wait=20000";

  private static LedgerNode node;
  private static HttpClientSupport http;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start("third-aggregate-type", Ledger.with(CounterType.TYPE));
    http = new HttpClientSupport(node.httpUrl());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aCounterTakesCommandsOverHttpAndShowsItsEvents() {
    String counter = TestNodes.unique("C");
    HttpResponse<String> incremented = command(counter, "{\"type\":\"Increment\",\"by\":5}");
    assertThat(incremented.statusCode()).as(incremented.body()).isEqualTo(200);
    assertThat(json(incremented).path("aggregateType").asText()).isEqualTo("counter");
    assertThat(json(incremented).path("version").asLong()).isEqualTo(1);

    HttpResponse<String> rejected = command(counter, "{\"type\":\"Increment\",\"by\":0}");
    assertProblem(rejected, 422, "command-rejected");
    assertThat(json(rejected).path("code").asText()).isEqualTo("INVALID_AMOUNT");
    assertThat(command(counter, "{\"type\":\"Reset\"}").statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonNode page = json(http.get("/counters/" + counter + "/events"));
      assertThat(page.path("counterId").asText()).isEqualTo(counter);
      assertThat(page.path("events").findValuesAsText("type")).containsExactly("Incremented", "CounterReset");
      assertThat(page.path("events").get(1).path("payload").path("from").asLong()).isEqualTo(5);
      assertThat(page.path("nextFromVersion").asLong()).isEqualTo(3);
    });
    String commandId = json(incremented).path("commandId").asText();
    assertThat(json(http.get("/commands/" + commandId)).path("aggregateId").asText()).isEqualTo(counter);
    assertThat(json(http.get("/correlations/" + commandId)).path("entries").findValuesAsText("type"))
        .containsExactly("Increment", "Incremented", "ACCEPTED");
  }

  @Test
  void aCommandTheCounterDoesNotTakeIsAClear422() {
    HttpResponse<String> unknown = command(TestNodes.unique("C"), "{\"type\":\"Decrement\",\"by\":1}");

    assertProblem(unknown, 422, "invalid-command");
    assertThat(json(unknown).path("detail").asText()).contains("Decrement").contains("Increment").contains("Reset");
    assertProblem(http.get("/counters/" + TestNodes.unique("C") + "/events"), 404, "not-found");
  }

  @Test
  void theLiveStreamCarriesCounterEventsAndFiltersOnTheType() {
    String counter = TestNodes.unique("C");
    try (SseStream stream = SseStream.open(node.httpUrl(), "/events/stream?aggregateType=counter", null)) {
      http.post("/accounts/" + TestNodes.unique("A") + "/commands" + WAIT,
          "{\"type\":\"OpenAccount\",\"owner\":\"someone\",\"currency\":\"EUR\"}");
      command(counter, "{\"type\":\"Increment\",\"by\":2}");
      command(counter, "{\"type\":\"Increment\",\"by\":3}");

      List<SseStream.Frame> received = stream.events(2, Duration.ofSeconds(20));

      assertThat(received).extracting(frame -> frame.json().path("aggregateType").asText())
          .containsOnly("counter");
      assertThat(received).extracting(frame -> frame.json().path("metadata").path("aggregateId").asText())
          .containsOnly(counter);
      assertThat(received).extracting(frame -> frame.json().path("payload").path("by").asLong())
          .containsExactly(2L, 3L);
      assertThat(received.get(1).id()).startsWith("a.").contains("_t.").contains("_c.");
    }
  }

  @Test
  void theLakeHoldsCounterEventsInADirectoryOfTheirOwn() throws IOException {
    String counter = TestNodes.unique("C");
    command(counter, "{\"type\":\"Increment\",\"by\":4}");
    command(counter, "{\"type\":\"Reset\"}");
    await().atMost(Duration.ofSeconds(15)).until(() ->
        json(http.get("/counters/" + counter + "/events")).path("events").size() == 2);
    Path lake = TargetDirs.fresh("third-aggregate-type-lake");

    new LakeExporter(node.clientProperties(), node.registry(), Ledger.with(CounterType.TYPE),
        new LakeSettings(lake, TestNodes.unique("lake"), 1000, LakeSettings.DEFAULT_ROLL_BYTES, Duration.ofMinutes(5)),
        ExportListener.NONE).exportUntilCaughtUp();

    List<GenericRecord> rows = new ArrayList<>();
    try (Stream<Path> files = Files.walk(lake.resolve("counter"))) {
      for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".avro")).toList()) {
        assertThat(lake.relativize(file).toString()).matches("counter/date=\\d{4}-\\d{2}-\\d{2}/part-\\d+-\\d+\\.avro");
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
          reader.forEach(row -> {
            if (row.get("aggregateId").toString().equals(counter)) {
              rows.add(row);
            }
          });
        }
      }
    }
    assertThat(rows).extracting(row -> row.get("eventType").toString()).containsExactly("Incremented", "CounterReset");
    assertThat(rows).extracting(row -> row.get("topic").toString()).containsOnly("ledger.counter.events");
    assertThat(rows.get(1).get("payloadJson").toString()).contains("\"from\":4");
  }

  @Test
  void theOpenApiDocumentDescribesTheCounterRoutes() {
    JsonNode document = json(http.get("/openapi.json"));

    assertThat(document.path("paths").has("/counters/{id}/commands")).isTrue();
    assertThat(document.path("paths").has("/counters/{id}/events")).isTrue();
    JsonNode request = document.path("components").path("schemas").path("CounterCommandRequest");
    assertThat(request.path("oneOf")).extracting(variant -> variant.path("properties").path("type").path("enum").get(0)
        .asText()).containsExactly("Increment", "Reset");
    assertThat(request.path("oneOf").get(0).path("required")).extracting(JsonNode::asText).contains("by");
  }

  private static HttpResponse<String> command(String counter, String body) {
    return http.post("/counters/" + counter + "/commands" + WAIT, body);
  }
}
