package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static io.ledgerstream.http.HttpServerWithoutBackendTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.cli.Main;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.domain.account.AccountCommand.OpenAccount;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.streams.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ids and text no command may carry, refused on every path into a real node: over HTTP with a 400 and nothing
 * produced, on Kafka with an {@code INVALID_INPUT} result and nothing recorded, by {@code send} before it produces;
 * and the {@code Idempotency-Key} header as the command id.
 */
class CommandInputHttpTest {

  private static final String WAIT = "?wait=20000";

  private static LedgerNode node;
  private static HttpClientSupport http;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start("command-input", 0);
    http = new HttpClientSupport(node.httpUrl());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aNulInTheOwnerIsRefusedWith400AndNothingIsProduced() {
    String account = TestNodes.unique("A");
    Map<String, Long> before = commandTopicEnds();

    HttpResponse<String> response = http.post("/accounts/" + account + "/commands" + WAIT,
        "{\"type\":\"OpenAccount\",\"owner\":\"alice\\u0000bob\",\"currency\":\"EUR\"}");

    assertProblem(response, 400, "invalid-input");
    assertThat(json(response).path("code").asText()).isEqualTo("INVALID_INPUT");
    assertThat(json(response).path("detail").asText()).contains("'owner'", "U+0000");
    assertThat(commandTopicEnds()).isEqualTo(before);
  }

  @Test
  void anOverlongAccountIdIsRefusedWith400() {
    HttpResponse<String> response = http.post("/accounts/" + "A".repeat(201) + "/commands",
        "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\"}");

    assertProblem(response, 400, "invalid-input");
    assertThat(json(response).path("detail").asText()).contains("aggregate id", "at most 200");
  }

  @Test
  void aControlCharacterInTheCorrelationIdIsRefusedWith400() {
    HttpResponse<String> response = http.post("/accounts/" + TestNodes.unique("A") + "/commands",
        "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\",\"correlationId\":\"c\\r\\nX-Forged: 1\"}");

    assertProblem(response, 400, "invalid-input");
    assertThat(json(response).path("detail").asText()).contains("'correlationId'", "U+000D");
  }

  @Test
  void theIdempotencyKeyHeaderIsTheCommandIdAndARetryGetsTheOriginalResult() {
    String account = TestNodes.unique("A");
    String key = TestNodes.unique("open");
    String body = "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\"}";

    HttpResponse<String> first = postWithKey("/accounts/" + account + "/commands" + WAIT, body, key);
    HttpResponse<String> retry = postWithKey("/accounts/" + account + "/commands" + WAIT, body, key);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first).path("commandId").asText()).isEqualTo(key);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(json(retry).path("eventIds")).isEqualTo(json(first).path("eventIds"));
    // once the summary shows the command, it shows it once
    assertThat(json(http.get("/accounts/" + account + "?minVersion=1&timeout=20000")).path("version").asLong())
        .isEqualTo(1);
  }

  @Test
  void anIdempotencyKeyThatDisagreesWithTheBodysCommandIdIsRefusedWith400() {
    String account = TestNodes.unique("A");
    Map<String, Long> before = commandTopicEnds();

    HttpResponse<String> response = postWithKey("/accounts/" + account + "/commands",
        "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\",\"commandId\":\"one\"}", "another");

    assertProblem(response, 400, "bad-request");
    assertThat(json(response).path("detail").asText()).contains("Idempotency-Key", "differ");
    assertThat(commandTopicEnds()).isEqualTo(before);
  }

  @Test
  void aPlainKafkaProducerGetsAnInvalidInputResultAndNothingIsRecorded() {
    String account = TestNodes.unique("A");
    AccountCommand command = AccountType.BINDING.command(CommandFactory.metadata(null, null, null, "raw"),
        new OpenAccount("alice\u0000admin", "EUR", 0, null));

    String source;
    try (CommandSender sender = new CommandSender(node.clientProperties(), node.topics())) {
      source = CommandSender.source(sender.send(AccountType.TYPE.name(), account, command));
    }

    // refused before it claims its id, so only its own source finds the refusal
    JsonNode result = json(http.get("/commands/" + command.getMetadata().getCommandId() + "?source="
        + URLEncoder.encode(source, StandardCharsets.UTF_8) + "&wait=20000"));
    assertThat(result.path("status").asText()).isEqualTo("REJECTED");
    assertThat(result.path("rejection").path("code").asText()).isEqualTo("INVALID_INPUT");
    assertProblem(http.get("/accounts/" + account), 404, "not-found");
  }

  @Test
  void sendRefusesAControlCharacterBeforeProducingWithExitCode2() {
    Map<String, Long> before = commandTopicEnds();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream err = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      exit = Main.run(new String[] {"send", "account", TestNodes.unique("A"), "DepositMoney", "amountMinor=5",
          "reference=a\tb", "--bootstrap-servers", node.bootstrapServers(),
          "--schema-registry-url", node.schemaRegistryUrl()});
    } finally {
      System.setErr(err);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("'reference'", "U+0009");
    assertThat(commandTopicEnds()).isEqualTo(before);
  }

  private static HttpResponse<String> postWithKey(String path, String body, String key) {
    return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
        .header("Content-Type", "application/json")
        .header(CommandRoutes.IDEMPOTENCY_KEY, key)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static Map<String, Long> commandTopicEnds() {
    return TopicEnds.of(node.clientProperties(), List.of(Topics.ACCOUNT_COMMANDS));
  }
}
