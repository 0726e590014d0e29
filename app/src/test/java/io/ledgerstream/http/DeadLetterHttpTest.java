package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static io.ledgerstream.http.HttpServerWithoutBackendTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.dlq.Letters;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.RealKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/dlq} over real HTTP, with a real command side dead-lettering real poison. */
class DeadLetterHttpTest {

  private static LedgerNode node;
  private static HttpClientSupport http;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start("dead-letters", 0);
    http = new HttpClientSupport(node.httpUrl());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void listsPoisonPageByPageNewestFirst() throws Exception {
    String older = poison("older");
    String newer = poison("newer");

    java.util.List<String> seen = new java.util.ArrayList<>();
    String before = "";
    for (int page = 0; page < 20 && !seen.contains(older); page++) {
      JsonNode body = json(http.get("/admin/dlq?limit=1" + (before.isEmpty() ? "" : "&before=" + before)));
      assertThat(body.path("letters")).hasSize(1);
      JsonNode letter = body.path("letters").get(0);
      seen.add(letter.path("position").asText());
      if (letter.path("position").asText().equals(newer)) {
        assertThat(letter.path("topic").asText()).isEqualTo(Topics.ACCOUNT_COMMANDS);
        assertThat(letter.path("exception").asText()).endsWith("AvroSerdeException");
        assertThat(letter.path("redrivable").asBoolean()).isTrue();
      }
      before = body.path("next").asText();
    }

    assertThat(seen).doesNotHaveDuplicates().contains(newer, older);
    assertThat(seen.indexOf(newer)).isLessThan(seen.indexOf(older));
  }

  @Test
  void showsOneLetterWithItsHeadersBytesAndStackTrace() throws Exception {
    String position = poison("shown");

    HttpResponse<String> response = http.get("/admin/dlq/" + position);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode letter = json(response);
    assertThat(letter.path("value").path("text").asText()).isEqualTo("poison shown");
    assertThat(letter.path("stackTrace").asText()).contains("AvroSerdeException");
    assertThat(letter.path("headers").findValuesAsText("name")).contains("trace-id", "__streams.errors.topic");
  }

  @Test
  void redrivesALetterOnceAndRefusesTheSecondTime() throws Exception {
    String position = poison("redriven");

    HttpResponse<String> redriven = http.post("/admin/dlq/redrive", "{\"letters\":[\"" + position + "\"]}");
    assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
    JsonNode made = json(redriven).path("redriven").get(0);
    assertThat(made.path("letter").asText()).isEqualTo(position);
    assertThat(made.path("topic").asText()).isEqualTo(Topics.ACCOUNT_COMMANDS);
    assertThat(made.path("by").asText()).startsWith("http:");
    assertThat(json(http.get("/admin/dlq/" + position)).path("redrive").path("offset").asLong())
        .isEqualTo(made.path("offset").asLong());

    HttpResponse<String> again = http.post("/admin/dlq/redrive", "{\"letters\":[\"" + position + "\"]}");
    assertProblem(again, 409, "already-redriven");
    assertThat(json(again).path("detail").asText()).contains(position).contains("at most once");
  }

  @Test
  void answersBadInputWith4xxProblems() throws Exception {
    String foreign = Letters.deadLetter(RealKafka.bootstrapServers(), Topics.TRANSFER_EVENTS, TestNodes.unique("ev"),
        "an event").toString();
    assertProblem(http.get("/admin/dlq/abc"), 400, "bad-request");
    assertProblem(http.get("/admin/dlq/0@999999999"), 404, "not-found");
    assertProblem(http.get("/admin/dlq/4096@0"), 404, "not-found");
    assertProblem(http.get("/admin/dlq?limit=0"), 400, "bad-request");
    assertProblem(http.get("/admin/dlq?limit=501"), 400, "bad-request");
    assertProblem(http.get("/admin/dlq?before=yesterday"), 400, "bad-request");
    assertProblem(http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/admin/dlq/redrive"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("0@1"))), 415,
        "unsupported-media-type");
    assertProblem(http.post("/admin/dlq/redrive", "{not json"), 400, "malformed-json");
    assertProblem(http.post("/admin/dlq/redrive", "{}"), 400, "bad-request");
    assertProblem(http.post("/admin/dlq/redrive", "{\"letters\":[]}"), 400, "bad-request");
    assertProblem(http.post("/admin/dlq/redrive", "{\"letters\":[\"0-1\"]}"), 400, "bad-request");
    assertProblem(http.post("/admin/dlq/redrive", "{\"letters\":[7]}"), 400, "bad-request");
    assertProblem(http.post("/admin/dlq/redrive", "{\"letters\":[\"0@999999999\"]}"), 404, "not-found");
    HttpResponse<String> notRedrivable = http.post("/admin/dlq/redrive", "{\"letters\":[\"" + foreign + "\"]}");
    assertProblem(notRedrivable, 422, "not-redrivable");
    assertThat(json(notRedrivable).path("detail").asText()).contains(Topics.TRANSFER_EVENTS);
  }

  @Test
  void tellsTheWayFromATransferToItsCausalChain() {
    String from = TestNodes.unique("A");
    String to = TestNodes.unique("A");
    String transfer = TestNodes.unique("T");
    String correlation = TestNodes.unique("corr");
    http.post("/accounts/" + from + "/commands?wait=20000", "{\"type\":\"OpenAccount\",\"owner\":\"o\",\"currency\":\"EUR\"}");
    http.post("/accounts/" + to + "/commands?wait=20000", "{\"type\":\"OpenAccount\",\"owner\":\"o\",\"currency\":\"EUR\"}");
    http.post("/accounts/" + from + "/commands?wait=20000", "{\"type\":\"DepositMoney\",\"amountMinor\":500}");
    http.post("/transfers/" + transfer + "/commands?wait=20000", "{\"type\":\"RequestTransfer\",\"from\":\"" + from
        + "\",\"to\":\"" + to + "\",\"amountMinor\":200,\"currency\":\"EUR\",\"correlationId\":\"" + correlation + "\"}");

    AtomicReference<HttpResponse<String>> found = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      found.set(http.get("/transfers/" + transfer + "/correlation"));
      return found.get().statusCode() == 200;
    });
    assertThat(json(found.get()).path("correlationId").asText()).isEqualTo(correlation);
    assertProblem(http.get("/transfers/" + TestNodes.unique("T") + "/correlation"), 404, "not-found");
  }

  /** Produces bytes that are no command and returns the position of the dead letter the command side makes. */
  private static String poison(String name) throws Exception {
    String key = TestNodes.unique(name);
    Letters.produce(RealKafka.bootstrapServers(), Topics.ACCOUNT_COMMANDS, key,
        ("poison " + name).getBytes(StandardCharsets.UTF_8), Map.of("trace-id", name));
    AtomicReference<String> position = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (JsonNode letter : json(http.get("/admin/dlq?limit=500")).path("letters")) {
        if (key.equals(letter.path("key").asText())) {
          position.set(letter.path("position").asText());
          return true;
        }
      }
      return false;
    });
    return position.get();
  }
}
