package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.transfer.worker.TransferDeadlines;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transfer whose credit the command side can never take, on a real broker over real HTTP: the worker sends it again
 * at each deadline, gives it up after its last try and refunds the source, which could not close meanwhile; the
 * transfer is listed by its status.
 */
class TransferDeadlineHttpTest {

  private static final String WAIT = "?wait=20000";
  /** Every public command and every other worker command here is smaller; a credit naming two long ids is not. */
  private static final int MAX_COMMAND_BYTES = 300;

  private static LedgerNode node;
  private static HttpClientSupport http;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start("transfer-deadlines", new CommandSideConfig(Duration.ofDays(7), MAX_COMMAND_BYTES),
        new TransferDeadlines(Duration.ofSeconds(2), 3));
    http = new HttpClientSupport(node.httpUrl());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aCreditDeadLetteredOnEveryTryIsGivenUpAndRefundedAndTheSourceCouldNotCloseMeanwhile() {
    String source = TestNodes.unique("S") + "-" + "s".repeat(90);
    String destination = TestNodes.unique("B");
    String transferId = TestNodes.unique("T") + "-" + "t".repeat(90);
    accepted("/accounts/" + source, "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\"}");
    accepted("/accounts/" + source, "{\"type\":\"DepositMoney\",\"amountMinor\":300}");
    accepted("/accounts/" + destination, "{\"type\":\"OpenAccount\",\"owner\":\"bob\",\"currency\":\"EUR\"}");

    accepted("/transfers/" + transferId, "{\"type\":\"RequestTransfer\",\"from\":\"" + source + "\",\"to\":\""
        + destination + "\",\"amountMinor\":300,\"currency\":\"EUR\"}");
    JsonNode debited = await().atMost(Duration.ofSeconds(30)).until(() -> json(http.get("/transfers/" + transferId)),
        transfer -> "DEBITED".equals(transfer.path("status").asText()));
    HttpResponse<String> closing = http.post("/accounts/" + source + "/commands" + WAIT,
        "{\"type\":\"CloseAccount\",\"reason\":\"moving\"}");

    JsonNode failed = await().atMost(Duration.ofSeconds(60)).until(() -> json(http.get("/transfers/" + transferId)),
        transfer -> "FAILED".equals(transfer.path("status").asText()));
    assertThat(debited.path("amountMinor").asLong()).isEqualTo(300);
    assertThat(closing.statusCode()).as(closing.body()).isEqualTo(422);
    assertThat(json(closing).path("code").asText()).isEqualTo("TRANSFERS_IN_FLIGHT");
    assertThat(failed.path("failureCode").asText()).isEqualTo(TransferProcess.TIMED_OUT);
    assertThat(failed.path("failureReason").asText()).isEqualTo("the credit was not answered after 3 tries");
    assertThat(failed.path("refunded").asBoolean()).isTrue();
    JsonNode refunded = await().atMost(Duration.ofSeconds(30)).until(() -> json(http.get("/accounts/" + source)),
        account -> account.path("transfersInFlight").isEmpty() && account.path("balanceMinor").asLong() == 300);
    assertThat(refunded.path("balanceMinor").asLong()).isEqualTo(300);
    assertThat(json(http.get("/accounts/" + destination)).path("balanceMinor").asLong()).isZero();
    // the index by status is fed through a repartition topic, so it may trail the transfer's own view
    await().atMost(Duration.ofSeconds(30)).until(() -> listed("FAILED").contains(transferId));
    assertThat(listed("DEBITED")).doesNotContain(transferId);
  }

  @Test
  void transfersAreListedByStatusAPageAtATime() {
    String from = TestNodes.unique("A");
    String to = TestNodes.unique("B");
    accepted("/accounts/" + from, "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\"}");
    accepted("/accounts/" + from, "{\"type\":\"DepositMoney\",\"amountMinor\":1000}");
    accepted("/accounts/" + to, "{\"type\":\"OpenAccount\",\"owner\":\"bob\",\"currency\":\"EUR\"}");
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String transferId = TestNodes.unique("T");
      mine.add(transferId);
      accepted("/transfers/" + transferId, "{\"type\":\"RequestTransfer\",\"from\":\"" + from + "\",\"to\":\"" + to
          + "\",\"amountMinor\":10,\"currency\":\"EUR\"}");
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> listed("COMPLETED").containsAll(mine));
    JsonNode firstPage = json(http.get("/transfers?status=COMPLETED&limit=1"));
    assertThat(firstPage.path("transfers")).hasSize(1);
    JsonNode secondPage = json(http.get("/transfers?status=COMPLETED&limit=1&after="
        + firstPage.path("next").asText()));
    assertThat(secondPage.path("transfers").get(0).path("transferId").asText())
        .isGreaterThan(firstPage.path("transfers").get(0).path("transferId").asText());
    assertThat(http.get("/transfers?status=LOST").statusCode()).isEqualTo(400);
    assertThat(http.get("/transfers").statusCode()).isEqualTo(400);
    assertThat(http.get("/metrics").body()).contains("ledger_transfers_needs_attention ");
  }

  /** Every transfer id in one status, page after page. */
  private static List<String> listed(String status) {
    List<String> ids = new ArrayList<>();
    String after = "";
    while (after != null) {
      JsonNode page = json(http.get("/transfers?status=" + status + "&limit=100" + after));
      page.path("transfers").forEach(transfer -> ids.add(transfer.path("transferId").asText()));
      after = page.has("next") ? "&after=" + page.path("next").asText() : null;
    }
    return ids;
  }

  private static void accepted(String aggregate, String body) {
    HttpResponse<String> response = http.post(aggregate + "/commands" + WAIT, body);
    assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(200);
  }
}
