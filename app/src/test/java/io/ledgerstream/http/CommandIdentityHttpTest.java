package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static io.ledgerstream.http.HttpServerWithoutBackendTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.domain.account.AccountCommand.DepositMoney;
import io.ledgerstream.domain.account.AccountCommand.OpenAccount;
import io.ledgerstream.domain.transfer.TransferCommand.RequestTransfer;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.streams.CommandIds;
import io.ledgerstream.transfer.TransferType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One command per id, on a real node: a retry is answered with its original result, another command under a taken
 * id is refused {@code COMMAND_ID_REUSED} and changes nothing, an id of the application's form is refused
 * {@code RESERVED_COMMAND_ID}, and every path that waits answers a submission with its own result, never another's.
 */
class CommandIdentityHttpTest {

  private static final String WAIT = "?wait=20000";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static LedgerNode node;
  private static HttpClientSupport http;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start("command-identity", 0);
    http = new HttpClientSupport(node.httpUrl());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
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
