package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static io.ledgerstream.http.HttpServerWithoutBackendTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.node.LedgerNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route of the HTTP API of one node, over real HTTP, against a real broker. */
class HttpApiTest {

  private static final String WAIT = "?wait=20000";

  private static LedgerNode node;
  private static HttpClientSupport http;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start("http-api", 0);
    http = new HttpClientSupport(node.httpUrl());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void postedCommandIsAcceptedWith202AndItsResultAppearsAtTheLocation() {
    String account = TestNodes.unique("A");
    HttpResponse<String> posted = http.post("/accounts/" + account + "/commands",
        "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\"}");
    assertThat(posted.statusCode()).isEqualTo(202);
    String commandId = json(posted).path("commandId").asText();
    String location = posted.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/commands/" + commandId + "?source=");
    assertThat(json(posted).path("correlationId").asText()).isEqualTo(commandId);
    assertThat(json(posted).path("status").asText()).isEqualTo("PENDING");

    HttpResponse<String> result = http.get(location + "&wait=20000");
    assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
    assertThat(json(result).path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(json(result).path("aggregateId").asText()).isEqualTo(account);
    assertThat(json(result).path("version").asLong()).isEqualTo(1);
  }

  @Test
  void waitingForTheOutcomeAnswers200WhenAccepted() {
    String account = TestNodes.unique("A");
    HttpResponse<String> response = open(account, "bob", "EUR");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(json(response).path("eventIds").size()).isEqualTo(1);
  }

  /**
   * More waits than the server has request threads (Javalin's default pool holds 250): were each wait a request
   * thread sleeping in a loop, the health check would queue behind them.
   */
  @Test
  void waitingRequestsHoldNoRequestThread() {
    String account = TestNodes.unique("A");
    open(account, "patience", "EUR");
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      waiting.add(http.getAsync("/accounts/" + account + "?minVersion=99&timeout=4000"));
      waiting.add(http.getAsync("/commands/" + TestNodes.unique("never-sent") + "?wait=4000"));
    }
    // let every request reach the server and start waiting
    await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> true);

    Instant before = Instant.now();
    HttpResponse<String> live = http.get("/health/live");

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(1));
    assertThat(waiting).noneMatch(CompletableFuture::isDone);
    for (int i = 0; i < waiting.size(); i++) {
      HttpResponse<String> answer = waiting.get(i).join();
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(i % 2 == 0 ? 504 : 404);
    }
  }

  @Test
  void aGivenCommandIdAndCorrelationIdAreKept() {
    String account = TestNodes.unique("A");
    String commandId = TestNodes.unique("cmd");
    String correlationId = TestNodes.unique("corr");
    HttpResponse<String> response = http.post("/accounts/" + account + "/commands" + WAIT,
        "{\"type\":\"OpenAccount\",\"owner\":\"carol\",\"currency\":\"EUR\",\"commandId\":\"" + commandId
            + "\",\"correlationId\":\"" + correlationId + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("commandId").asText()).isEqualTo(commandId);
    assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith("/commands/" + commandId + "?");
    // the result and the event are committed together, but each view serves them once it has read them
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonNode event = json(http.get("/accounts/" + account + "/events")).path("events").path(0);
      assertThat(event.path("metadata").path("correlationId").asText()).isEqualTo(correlationId);
      assertThat(event.path("metadata").path("commandId").asText()).isEqualTo(commandId);
    });
  }

  @Test
  void aRetriedCommandIdGetsItsOriginalResultAndNoNewEvents() {
    String account = TestNodes.unique("A");
    open(account, "dave", "EUR");
    String body = "{\"type\":\"DepositMoney\",\"amountMinor\":500,\"commandId\":\"" + TestNodes.unique("dep") + "\"}";
    JsonNode first = json(http.post("/accounts/" + account + "/commands" + WAIT, body));
    JsonNode again = json(http.post("/accounts/" + account + "/commands" + WAIT, body));
    assertThat(again.path("eventIds")).isEqualTo(first.path("eventIds"));
    assertThat(json(http.get("/accounts/" + account + "?minVersion=2")).path("balanceMinor").asLong()).isEqualTo(500);
    assertThat(json(http.get("/accounts/" + account + "/events")).path("events").size()).isEqualTo(2);
  }

  @Test
  void aVersionConflictIs409WithItsCode() {
    String account = TestNodes.unique("A");
    open(account, "erin", "EUR");
    HttpResponse<String> response = http.post("/accounts/" + account + "/commands" + WAIT,
        "{\"type\":\"DepositMoney\",\"amountMinor\":100,\"expectedVersion\":7}");
    assertProblem(response, 409, "version-conflict");
    assertThat(json(response).path("code").asText()).isEqualTo("VERSION_CONFLICT");
    assertThat(response.headers().firstValue("Location")).isPresent();
  }

  @Test
  void anotherRejectionIs422WithItsCode() {
    String account = TestNodes.unique("A");
    open(account, "frank", "EUR");
    HttpResponse<String> response = http.post("/accounts/" + account + "/commands" + WAIT,
        "{\"type\":\"WithdrawMoney\",\"amountMinor\":100}");
    assertProblem(response, 422, "command-rejected");
    assertThat(json(response).path("code").asText()).isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(json(response).path("result").path("status").asText()).isEqualTo("REJECTED");
  }

  @Test
  void moneyCommandsOverHttpCarryTheHttpChannelUnlessGiven() {
    String account = TestNodes.unique("A");
    open(account, "grace", "EUR");
    deposit(account, 1000);
    http.post("/accounts/" + account + "/commands" + WAIT,
        "{\"type\":\"WithdrawMoney\",\"amountMinor\":100,\"channel\":\"atm\",\"reference\":\"cash\"}");
    JsonNode events = json(http.get("/accounts/" + account + "/events?fromVersion=2")).path("events");
    assertThat(events.get(0).path("payload").path("type").asText()).isEqualTo("MoneyDeposited");
    assertThat(events.get(0).path("payload").path("channel").asText()).isEqualTo("http");
    assertThat(events.get(1).path("payload").path("channel").asText()).isEqualTo("atm");
    assertThat(events.get(1).path("payload").path("reference").asText()).isEqualTo("cash");
  }

  @Test
  void summaryHasTheDocumentedFields() {
    String account = TestNodes.unique("A");
    open(account, "heidi", "EUR");
    JsonNode summary = json(http.get("/accounts/" + account + "?minVersion=1"));
    assertThat(summary.path("accountId").asText()).isEqualTo(account);
    assertThat(summary.path("owner").asText()).isEqualTo("heidi");
    assertThat(summary.path("currency").asText()).isEqualTo("EUR");
    assertThat(summary.path("balanceMinor").asLong()).isZero();
    assertThat(summary.path("overdraftLimitMinor").asLong()).isZero();
    assertThat(summary.path("status").asText()).isEqualTo("OPEN");
    assertThat(summary.path("version").asLong()).isEqualTo(1);
    assertThat(Instant.parse(summary.path("openedAt").asText())).isBeforeOrEqualTo(Instant.now());
    assertThat(Instant.parse(summary.path("updatedAt").asText())).isBeforeOrEqualTo(Instant.now());
  }

  @Test
  void minVersionReadsYourOwnWrites() {
    String account = TestNodes.unique("A");
    open(account, "ivan", "EUR");
    for (int i = 1; i <= 5; i++) {
      long version = json(deposit(account, 10)).path("version").asLong();
      HttpResponse<String> read = http.get("/accounts/" + account + "?minVersion=" + version + "&timeout=10000");
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(json(read).path("version").asLong()).isGreaterThanOrEqualTo(version);
      assertThat(json(read).path("balanceMinor").asLong()).isEqualTo(10L * i);
    }
  }

  @Test
  void minVersionNotReachedInTimeIs504() {
    String account = TestNodes.unique("A");
    open(account, "judy", "EUR");
    assertProblem(http.get("/accounts/" + account + "?minVersion=99&timeout=300"), 504, "timeout");
  }

  @Test
  void asOfVersionRebuildsTheStateFromTheEvents() {
    String account = TestNodes.unique("A");
    open(account, "ken", "EUR");
    deposit(account, 100);
    deposit(account, 200);
    deposit(account, 400);
    JsonNode atTwo = json(http.get("/accounts/" + account + "?asOfVersion=2"));
    assertThat(atTwo.path("version").asLong()).isEqualTo(2);
    assertThat(atTwo.path("balanceMinor").asLong()).isEqualTo(100);
    assertThat(atTwo.path("owner").asText()).isEqualTo("ken");
    assertThat(json(http.get("/accounts/" + account + "?asOfVersion=99")).path("balanceMinor").asLong()).isEqualTo(700);
    assertProblem(http.get("/accounts/" + account + "?asOfVersion=0"), 404, "not-found");
  }

  @Test
  void asOfAnInstantRebuildsTheStateAtThatTime() throws InterruptedException {
    String account = TestNodes.unique("A");
    Instant beforeOpening = Instant.now().minusSeconds(1);
    open(account, "lena", "EUR");
    deposit(account, 100);
    Thread.sleep(20);
    Instant between = Instant.now();
    Thread.sleep(20);
    deposit(account, 50);
    JsonNode then = json(http.get("/accounts/" + account + "?asOf=" + between));
    assertThat(then.path("balanceMinor").asLong()).isEqualTo(100);
    assertThat(then.path("version").asLong()).isEqualTo(2);
    assertProblem(http.get("/accounts/" + account + "?asOf=" + beforeOpening), 404, "not-found");
  }

  @Test
  void eventsComeOldestFirstInPagesWithMetadata() {
    String account = TestNodes.unique("A");
    open(account, "mallory", "EUR");
    deposit(account, 1);
    deposit(account, 2);
    JsonNode first = json(http.get("/accounts/" + account + "/events?limit=2"));
    assertThat(first.path("events").size()).isEqualTo(2);
    assertThat(first.path("events").get(0).path("payload").path("type").asText()).isEqualTo("AccountOpened");
    assertThat(first.path("events").get(0).path("metadata").path("aggregateVersion").asLong()).isEqualTo(1);
    assertThat(first.path("events").get(1).path("metadata").path("aggregateId").asText()).isEqualTo(account);
    assertThat(first.path("nextFromVersion").asLong()).isEqualTo(3);
    JsonNode second = json(http.get("/accounts/" + account + "/events?fromVersion=3&limit=2"));
    assertThat(second.path("events").size()).isEqualTo(1);
    assertThat(second.path("events").get(0).path("payload").path("amountMinor").asLong()).isEqualTo(2);
    assertThat(second.path("nextFromVersion").asLong()).isEqualTo(4);
  }

  @Test
  void unknownIdsAre404Problems() {
    String nobody = TestNodes.unique("missing");
    assertProblem(http.get("/accounts/" + nobody), 404, "not-found");
    assertProblem(http.get("/accounts/" + nobody + "/events"), 404, "not-found");
    assertProblem(http.get("/accounts/" + nobody + "?asOfVersion=1"), 404, "not-found");
    assertProblem(http.get("/commands/" + nobody), 404, "not-found");
    assertProblem(http.get("/transfers/" + nobody), 404, "not-found");
    assertProblem(http.get("/correlations/" + nobody), 404, "not-found");
  }

  @Test
  void ownersListTheirAccounts() {
    String owner = TestNodes.unique("owner");
    List<String> accounts = List.of(TestNodes.unique("A"), TestNodes.unique("A"));
    accounts.forEach(account -> open(account, owner, "EUR"));
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonNode listed = json(http.get("/owners/" + owner + "/accounts"));
      List<String> ids = new ArrayList<>();
      listed.path("accounts").forEach(account -> ids.add(account.path("accountId").asText()));
      assertThat(ids).containsExactlyInAnyOrderElementsOf(accounts);
    });
    assertThat(json(http.get("/owners/" + TestNodes.unique("nobody") + "/accounts")).path("accounts").size()).isZero();
  }

  @Test
  void aRequestedTransferCanBeRead() {
    String from = TestNodes.unique("A");
    String to = TestNodes.unique("A");
    open(from, "oscar", "EUR");
    open(to, "peggy", "EUR");
    deposit(from, 1000);
    String transfer = TestNodes.unique("T");
    HttpResponse<String> requested = http.post("/transfers/" + transfer + "/commands" + WAIT,
        "{\"type\":\"RequestTransfer\",\"from\":\"" + from + "\",\"to\":\"" + to
            + "\",\"amountMinor\":250,\"currency\":\"EUR\"}");
    assertThat(requested.statusCode()).as(requested.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      HttpResponse<String> read = http.get("/transfers/" + transfer);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(json(read).path("transferId").asText()).isEqualTo(transfer);
      assertThat(json(read).path("from").asText()).isEqualTo(from);
      assertThat(json(read).path("amountMinor").asLong()).isEqualTo(250);
    });
  }

  @Test
  void aTransfersEventsArePagedLikeAnAccounts() {
    String from = TestNodes.unique("A");
    String to = TestNodes.unique("A");
    open(from, "oscar", "EUR");
    open(to, "peggy", "EUR");
    deposit(from, 1000);
    String transfer = TestNodes.unique("T");
    HttpResponse<String> requested = http.post("/transfers/" + transfer + "/commands" + WAIT,
        "{\"type\":\"RequestTransfer\",\"from\":\"" + from + "\",\"to\":\"" + to
            + "\",\"amountMinor\":250,\"currency\":\"EUR\"}");
    assertThat(requested.statusCode()).as(requested.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> "COMPLETED".equals(json(http.get("/transfers/" + transfer))
        .path("status").asText()));

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonNode page = json(http.get("/transfers/" + transfer + "/events?limit=2"));
      assertThat(page.path("transferId").asText()).isEqualTo(transfer);
      assertThat(page.path("events").findValuesAsText("type")).containsExactly("TransferRequested",
          "TransferDebitRecorded");
      assertThat(page.path("nextFromVersion").asLong()).isEqualTo(3);
    });
    JsonNode rest = json(http.get("/transfers/" + transfer + "/events?fromVersion=3"));
    assertThat(rest.path("events").get(0).path("payload").path("type").asText()).isEqualTo("TransferCompleted");
    assertThat(rest.path("events").get(0).path("metadata").path("aggregateVersion").asLong()).isEqualTo(3);
    assertProblem(http.get("/transfers/" + TestNodes.unique("missing") + "/events"), 404, "not-found");
  }

  @Test
  void workerOnlyCommandsAreRefusedOverHttpWithWhatToSendInstead() {
    HttpResponse<String> refused = http.post("/accounts/" + TestNodes.unique("A") + "/commands",
        "{\"type\":\"CreditForTransfer\",\"transferId\":\"T\",\"amountMinor\":5,"
            + "\"counterpartyAccountId\":\"B\"}");

    assertProblem(refused, 403, "reserved-command");
    assertThat(json(refused).path("detail").asText()).contains("CreditForTransfer").contains("RequestTransfer");
  }

  @Test
  void aCorrelationListsWhatHappenedUnderIt() {
    String account = TestNodes.unique("A");
    String correlationId = TestNodes.unique("corr");
    http.post("/accounts/" + account + "/commands" + WAIT, "{\"type\":\"OpenAccount\",\"owner\":\"quinn\","
        + "\"currency\":\"EUR\",\"correlationId\":\"" + correlationId + "\"}");
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      HttpResponse<String> read = http.get("/correlations/" + correlationId);
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(json(read).path("entries").size()).isPositive();
      assertThat(read.body()).contains(account);
    });
  }

  @Test
  void statsTotalDepositsPerCurrency() {
    String account = TestNodes.unique("A");
    open(account, "rupert", "JPY");
    long before = yenTotal();
    deposit(account, 777);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(yenTotal()).isEqualTo(before + 777));
    JsonNode stats = json(http.get("/stats"));
    assertThat(stats.path("instances").size()).isEqualTo(1);
    assertThat(stats.path("instances").get(0).asText()).isEqualTo(node.httpUrl().substring("http://".length()));
  }

  @Test
  void isReadyOnceRunning() {
    HttpResponse<String> ready = http.get("/health/ready");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(json(ready).path("projections").asText()).isEqualTo("RUNNING");
    assertThat(json(ready).path("commandSide").asText()).isEqualTo("RUNNING");
    assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsIncludeKafkaStreamsMetrics() {
    String metrics = http.get("/metrics").body();
    assertThat(metrics).contains("kafka_stream").contains("application=\"ledgerstream-projections\"");
  }

  @Test
  void allowStaleOnASingleInstanceIsServedFromTheActiveStore() {
    String account = TestNodes.unique("A");
    open(account, "sybil", "EUR");
    HttpResponse<String> read = http.get("/accounts/" + account + "?minVersion=1&allowStale=true");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue(HttpServer.STANDBY_LAG_HEADER)).isEmpty();
  }

  private long yenTotal() {
    JsonNode yen = json(http.get("/stats")).path("totals").path("JPY");
    return yen.path("balanceMinor").asLong();
  }

  private static HttpResponse<String> open(String account, String owner, String currency) {
    HttpResponse<String> response = http.post("/accounts/" + account + "/commands" + WAIT,
        "{\"type\":\"OpenAccount\",\"owner\":\"" + owner + "\",\"currency\":\"" + currency + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  private static HttpResponse<String> deposit(String account, long amountMinor) {
    HttpResponse<String> response = http.post("/accounts/" + account + "/commands" + WAIT,
        "{\"type\":\"DepositMoney\",\"amountMinor\":" + amountMinor + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }
}
