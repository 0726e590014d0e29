package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static io.ledgerstream.http.HttpServerWithoutBackendTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.cli.Main;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.domain.account.AccountCommand.DepositMoney;
import io.ledgerstream.domain.account.AccountCommand.OpenAccount;
import io.ledgerstream.domain.transfer.TransferCommand.RequestTransfer;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.streams.CommandIds;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a command may carry and how its id is held, on every path into a real node. Ids and text no command may
 * carry are refused over HTTP with a 400 and nothing produced, on Kafka with an {@code INVALID_INPUT} result and
 * nothing recorded, by {@code send} before it produces. The {@code Idempotency-Key} header is the command id. One
 * command per id: a retry is answered with its original result, another command under a taken id is refused
 * {@code COMMAND_ID_REUSED} and changes nothing, an id of the application's form is refused
 * {@code RESERVED_COMMAND_ID}, and every path that waits answers a submission with its own result, never another's.
 */
class CommandInputHttpTest {

  private static final String WAIT = "?wait=20000";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

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

  @Test
  void anIdReusedForAnotherAccountIsRefusedAndTheFirstAccountsResultStands() {
    String first = open(TestNodes.unique("A"));
    String second = open(TestNodes.unique("B"));
    String key = TestNodes.unique("deposit");

    HttpResponse<String> accepted = deposit(first, 100, key);
    HttpResponse<String> reused = deposit(second, 100, key);

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertProblem(reused, 422, "command-rejected");
    assertThat(json(reused).path("code").asText()).isEqualTo("COMMAND_ID_REUSED");
    assertThat(json(reused).path("result").path("aggregateId").asText()).isEqualTo(second);
    JsonNode held = json(http.get("/commands/" + key));
    assertThat(held.path("aggregateId").asText()).isEqualTo(first);
    assertThat(held.path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(balance(first, 2)).isEqualTo(100);
    assertThat(balance(second, 1)).isZero();
  }

  @Test
  void theSameIdWithAnotherAmountIsRefusedAndAnExactRetryGetsTheOriginalResult() {
    String account = open(TestNodes.unique("A"));
    String key = TestNodes.unique("deposit");

    HttpResponse<String> accepted = deposit(account, 100, key);
    HttpResponse<String> otherAmount = deposit(account, 1_000_000, key);
    HttpResponse<String> retry = deposit(account, 100, key);

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(json(otherAmount).path("code").asText()).as(otherAmount.body()).isEqualTo("COMMAND_ID_REUSED");
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(json(retry).path("eventIds")).isEqualTo(json(accepted).path("eventIds"));
    assertThat(json(retry).path("source").asText()).isNotEqualTo(json(accepted).path("source").asText());
    assertThat(balance(account, 2)).isEqualTo(100);
  }

  @Test
  void aSubmissionsOwnResultIsFoundByItsSourceWhileAnotherCommandHoldsTheId() {
    String first = open(TestNodes.unique("A"));
    String second = open(TestNodes.unique("B"));
    String key = TestNodes.unique("deposit");
    deposit(first, 5, key);

    HttpResponse<String> pending = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/accounts/" + second
            + "/commands"))
        .header("Content-Type", "application/json").header(CommandRoutes.IDEMPOTENCY_KEY, key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"DepositMoney\",\"amountMinor\":5}")));

    assertThat(pending.statusCode()).as(pending.body()).isEqualTo(202);
    String location = pending.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/commands/" + key + "?source=");
    JsonNode own = json(http.get(location + "&wait=20000"));
    assertThat(own.path("aggregateId").asText()).isEqualTo(second);
    assertThat(own.path("rejection").path("code").asText()).isEqualTo("COMMAND_ID_REUSED");
    assertThat(own.path("source").asText()).isEqualTo(json(pending).path("source").asText());
  }

  @Test
  void sendWaitsForItsOwnResultWhenAnotherTypeTookTheId() {
    String account = TestNodes.unique("A");
    AccountCommand opening = AccountType.BINDING.command(CommandFactory.metadata(null, null, null, "test"),
        new OpenAccount("alice", "EUR", 0));
    String commandId = opening.getMetadata().getCommandId();
    SpecificRecord transfer = TransferType.BINDING.command(CommandFactory.metadata(commandId, null, null, "test"),
        new RequestTransfer(account, "elsewhere", 5, "EUR"));

    try (CommandSender sender = new CommandSender(node.clientProperties(), node.topics())) {
      CommandResult opened = sender.sendAndAwait(AccountType.TYPE.name(), account, opening, commandId, TIMEOUT)
          .orElseThrow();
      CommandResult refused = sender.sendAndAwait(TransferType.TYPE.name(), TestNodes.unique("T"), transfer,
          commandId, TIMEOUT).orElseThrow();

      assertThat(opened.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      assertThat(refused.getAggregateType()).isEqualTo(TransferType.TYPE.name());
      assertThat(refused.getRejection().getCode()).isEqualTo("COMMAND_ID_REUSED");
    }
  }

  @Test
  void aKafkaClientUsingAnIdOfTheApplicationsFormIsRefusedAndNothingIsDeposited() {
    String account = open(TestNodes.unique("A"));
    String derived = CommandIds.derived("transfer-worker/" + TestNodes.unique("T") + "/credit");
    AccountCommand deposit = AccountType.BINDING.command(CommandFactory.metadata(derived, null, null, "test"),
        new DepositMoney(500, "EUR", null, null));

    try (CommandSender sender = new CommandSender(node.clientProperties(), node.topics())) {
      CommandResult refused = sender.sendAndAwait(AccountType.TYPE.name(), account, deposit, derived, TIMEOUT)
          .orElseThrow();

      assertThat(refused.getRejection().getCode()).isEqualTo("RESERVED_COMMAND_ID");
    }
    assertProblem(http.get("/commands/" + derived), 404, "not-found");
    assertThat(balance(account, 1)).isZero();
  }

  private static String open(String account) {
    HttpResponse<String> opened = http.post("/accounts/" + account + "/commands" + WAIT,
        "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\"}");
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
    return account;
  }

  private static HttpResponse<String> deposit(String account, long amountMinor, String key) {
    return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/accounts/" + account + "/commands" + WAIT))
        .header("Content-Type", "application/json")
        .header(CommandRoutes.IDEMPOTENCY_KEY, key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"DepositMoney\",\"amountMinor\":" + amountMinor + "}")));
  }

  /** The balance once the summary has reached {@code version}. */
  private static long balance(String account, long version) {
    HttpResponse<String> summary = http.get("/accounts/" + URLEncoder.encode(account, StandardCharsets.UTF_8)
        + "?minVersion=" + version + "&timeout=20000");
    assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
    assertThat(json(summary).path("version").asLong()).isEqualTo(version);
    return json(summary).path("balanceMinor").asLong();
  }
}
