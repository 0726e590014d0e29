package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.security.AuthSettings;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TestTokens;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.testing.TargetDirs;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens scoped to one owner, on the real broker over real HTTP: alice's token sees and commands alice's accounts
 * only, and reads only their events (histories, the live stream), the transfers from them and the parts of
 * correlations on them; bob's account and transfer read as missing, commands to them are refused with nothing
 * produced, and routes that do not check the owner are closed to it. The teller's unscoped token sees everything.
 */
class OwnerScopedHttpTest {

  private static final String ISSUER = "https://id.ledgerstream.test";
  private static final String AUDIENCE = "ledgerstream";
  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofSeconds(2);
  // the broker's topics are shared with other tests: owners of their own keep "from the beginning" to this test's
  private static final String ALICE = TestNodes.unique("alice");
  private static final String BOB = TestNodes.unique("bob");

  private static TestTokens tokens;
  private static LedgerNode node;
  private static HttpClientSupport http;
  private static String teller;
  private static String alice;
  private static String aliceAccount;
  private static String bobAccount;
  private static String aliceTransfer;
  private static String bobTransfer;

  @BeforeAll
  static void start() {
    tokens = TestTokens.hmac(TargetDirs.fresh("owner-scoped-http-test"));
    node = TestNodes.start("owner-scoped-http", new ApiSecurity(null, tokens.settings().requiring(ISSUER, AUDIENCE),
        false, null, null, null));
    http = new HttpClientSupport(node.httpUrl());
    teller = tokens.token("teller", c -> c.issuer(ISSUER).audience(AUDIENCE), Role.READ, Role.WRITE);
    alice = scoped(ALICE);
    aliceAccount = opened(ALICE, teller);
    bobAccount = opened(BOB, teller);
    await().atMost(Duration.ofSeconds(30)).until(() -> get("/accounts/" + bobAccount, teller).statusCode() == 200
        && get("/accounts/" + aliceAccount, alice).statusCode() == 200);
    accepted(post("/accounts/" + aliceAccount + "/commands?wait=10000", deposit(), teller));
    accepted(post("/accounts/" + bobAccount + "/commands?wait=10000", deposit(), teller));
    aliceTransfer = TestNodes.unique("T");
    bobTransfer = TestNodes.unique("T");
    accepted(post("/transfers/" + aliceTransfer + "/commands?wait=10000", transfer(aliceAccount, bobAccount), alice));
    accepted(post("/transfers/" + bobTransfer + "/commands?wait=10000", transfer(bobAccount, aliceAccount), teller));
    await().atMost(WITHIN).until(() -> List.of(aliceTransfer, bobTransfer).stream().allMatch(transfer ->
        json(get("/transfers/" + transfer, teller)).path("status").asText().equals("COMPLETED")));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aScopedTokenReadsItsOwnersAccountAndAnotherOwnersReadsAsMissing() {
    assertThat(json(get("/accounts/" + aliceAccount, alice)).path("owner").asText()).isEqualTo(ALICE);

    HttpResponse<String> foreign = get("/accounts/" + bobAccount, alice);
    HttpResponse<String> missing = get("/accounts/" + TestNodes.unique("A"), alice);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertSameProblem(foreign, missing);
    assertThat(json(foreign).path("detail").asText()).isEqualTo("no account '" + bobAccount + "'");
    assertThat(get("/accounts/" + bobAccount + "?asOfVersion=1", alice).statusCode()).isEqualTo(404);
    assertThat(get("/accounts/" + bobAccount + "?asOfVersion=1", teller).statusCode()).isEqualTo(200);
  }

  @Test
  void aScopedTokenListsOnlyItsOwnersAccounts() {
    await().atMost(WITHIN).untilAsserted(() -> assertThat(json(get("/owners/" + ALICE + "/accounts", alice))
        .path("accounts")).extracting(account -> account.path("accountId").asText()).contains(aliceAccount));

    HttpResponse<String> foreign = get("/owners/" + BOB + "/accounts", alice);
    assertThat(foreign.statusCode()).isEqualTo(200);
    assertThat(json(foreign).path("accounts")).isEmpty();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(json(get("/owners/" + BOB + "/accounts", teller)).path("accounts")).isNotEmpty());
  }

  @Test
  void routesThatDoNotCheckTheOwnerAnswer404ToAScopedToken() {
    for (String path : List.of("/stats")) {
      HttpResponse<String> response = get(path, alice);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
    }
  }

  @Test
  void aScopedTokenReadsTheResultsOfCommandsOnItsOwnersAccountsOnly() {
    String own = json(post("/accounts/" + aliceAccount + "/commands?wait=10000", deposit(), alice))
        .path("commandId").asText();
    String foreign = json(post("/accounts/" + bobAccount + "/commands?wait=10000", deposit(), teller))
        .path("commandId").asText();

    assertThat(json(get("/commands/" + own, alice)).path("aggregateId").asText()).isEqualTo(aliceAccount);
    HttpResponse<String> hidden = get("/commands/" + foreign, alice);
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertSameProblem(hidden, get("/commands/" + TestNodes.unique("missing"), alice));
    assertThat(get("/commands/" + foreign, teller).statusCode()).isEqualTo(200);
  }

  @Test
  void aScopedTokenReadsItsOwnersHistoriesAndAnotherOwnersReadAsMissing() {
    JsonNode history = json(get("/accounts/" + aliceAccount + "/events", alice));
    assertThat(history.path("events")).extracting(event -> event.path("payload").path("type").asText())
        .startsWith("AccountOpened", "MoneyDeposited");
    assertThat(json(get("/transfers/" + aliceTransfer + "/events", alice)).path("events")).isNotEmpty();

    for (String foreign : List.of("/accounts/" + bobAccount + "/events", "/accounts/" + bobAccount
        + "/events?fromVersion=2", "/transfers/" + bobTransfer + "/events")) {
      HttpResponse<String> response = get(foreign, alice);
      assertThat(response.statusCode()).as(foreign).isEqualTo(404);
      assertSameProblem(response, get("/accounts/" + TestNodes.unique("A") + "/events", alice));
      assertThat(get(foreign, teller).statusCode()).as(foreign).isEqualTo(200);
    }
  }

  @Test
  void aScopedTokenReadsTransfersFromItsOwnersAccountsOnly() {
    assertThat(json(get("/transfers/" + aliceTransfer, alice)).path("from").asText()).isEqualTo(aliceAccount);
    HttpResponse<String> foreign = get("/transfers/" + bobTransfer, alice);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertSameProblem(foreign, get("/transfers/" + TestNodes.unique("T"), alice));
    assertThat(json(get("/transfers/" + bobTransfer, teller)).path("from").asText()).isEqualTo(bobAccount);
  }

  @Test
  void aScopedTokensTransferListHoldsItsOwnersTransfersOnlyAndPagesOverTheOthers() {
    List<String> paged = new ArrayList<>();
    String next = null;
    do {
      JsonNode page = json(get("/transfers?status=COMPLETED&limit=1" + (next == null ? "" : "&after=" + next), alice));
      assertThat(page.path("transfers").size()).isLessThanOrEqualTo(1);
      page.path("transfers").forEach(transfer -> {
        assertThat(transfer.path("from").asText()).isEqualTo(aliceAccount);
        paged.add(transfer.path("transferId").asText());
      });
      next = page.hasNonNull("next") ? page.path("next").asText() : null;
    } while (next != null);

    assertThat(paged).contains(aliceTransfer).doesNotContain(bobTransfer);
    assertThat(ids(json(get("/transfers?status=COMPLETED&limit=1000", alice)).path("transfers"), "transferId"))
        .isEqualTo(paged);
    List<String> all = new ArrayList<>();
    String after = null;
    do {
      JsonNode page = json(get("/transfers?status=COMPLETED&limit=1000" + (after == null ? "" : "&after=" + after),
          teller));
      all.addAll(ids(page.path("transfers"), "transferId"));
      after = page.hasNonNull("next") ? page.path("next").asText() : null;
    } while (after != null);
    assertThat(all).contains(aliceTransfer, bobTransfer);
  }

  @Test
  void aScopedTokenSeesOnlyTheEntriesOfACorrelationOnWhatItsOwnerOwns() {
    String correlation = json(get("/transfers/" + aliceTransfer + "/correlation", alice)).path("correlationId")
        .asText();
    assertThat(correlation).isEqualTo(json(get("/transfers/" + aliceTransfer + "/correlation", teller))
        .path("correlationId").asText());
    assertThat(get("/transfers/" + bobTransfer + "/correlation", alice).statusCode()).isEqualTo(404);
    JsonNode everything = json(get("/correlations/" + correlation, teller)).path("entries");
    assertThat(ids(everything, "aggregateId")).contains(aliceAccount, bobAccount, aliceTransfer);

    JsonNode mine = json(get("/correlations/" + correlation, alice)).path("entries");
    assertThat(ids(mine, "aggregateId")).contains(aliceAccount, aliceTransfer).doesNotContain(bobAccount);
    List<JsonNode> expected = new ArrayList<>();
    everything.forEach(entry -> {
      if (!entry.path("aggregateId").asText().equals(bobAccount)) {
        expected.add(entry);
      }
    });
    assertThat(mine).containsExactlyElementsOf(expected);

    List<JsonNode> paged = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = json(get("/correlations/" + correlation + "?limit=2"
          + (cursor == null ? "" : "&cursor=" + cursor.replace(":", "%3A")), alice));
      assertThat(page.path("entries").size()).isBetween(1, 2);
      page.path("entries").forEach(paged::add);
      cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
    assertThat(paged).containsExactlyElementsOf(expected);

    String foreign = json(get("/transfers/" + bobTransfer + "/correlation", teller)).path("correlationId").asText();
    assertThat(ids(json(get("/correlations/" + foreign, alice)).path("entries"), "aggregateId"))
        .containsOnly(aliceAccount);
    String bobsDeposit = json(post("/accounts/" + bobAccount + "/commands?wait=10000", deposit(), teller))
        .path("commandId").asText();
    await().atMost(WITHIN).until(() -> get("/correlations/" + bobsDeposit, teller).statusCode() == 200);
    HttpResponse<String> none = get("/correlations/" + bobsDeposit, alice);
    assertThat(none.statusCode()).isEqualTo(404);
    assertSameProblem(none, get("/correlations/" + TestNodes.unique("C"), alice));
  }

  @Test
  void aScopedTokensStreamFromTheBeginningCarriesItsOwnersEventsOnly() {
    List<JsonNode> events;
    try (SseStream stream = SseStream.open(node.httpUrl(), "/events/stream?from=beginning", null, alice)) {
      // the transfer's events wait for its source account's owner to be looked up: read until both have come
      events = new ArrayList<>();
      for (SseStream.Frame frame = stream.nextEvent(WITHIN); frame != null; frame = stream.nextEvent(WITHIN)) {
        events.add(frame.json());
        if (ids(events, "metadata", "aggregateId").containsAll(List.of(aliceAccount, aliceTransfer))) {
          break;
        }
      }
      for (SseStream.Frame frame = stream.nextEvent(QUIET); frame != null; frame = stream.nextEvent(QUIET)) {
        events.add(frame.json());
      }
    }
    List<String> aggregates = ids(events, "metadata", "aggregateId");
    assertThat(aggregates).contains(aliceAccount, aliceTransfer).doesNotContain(bobAccount, bobTransfer);
    assertThat(events).allSatisfy(event -> assertThat(isAlices(event)).as(event.toString()).isTrue());

    try (SseStream stream = SseStream.open(node.httpUrl(), "/events/stream?from=beginning&aggregateId=" + bobAccount,
        null, teller)) {
      assertThat(stream.events(1, WITHIN).get(0).json().path("metadata").path("aggregateId").asText())
          .isEqualTo(bobAccount);
    }
  }

  @Test
  void aScopedTokensLiveStreamCarriesItsOwnersEventsOnlyAndResumesAfterTheLastOneItGot() {
    String mine = opened(ALICE, alice);
    String theirs = opened(BOB, teller);
    List<JsonNode> live;
    try (SseStream stream = SseStream.open(node.httpUrl(), "/events/stream", null, alice)) {
      for (int round = 0; round < 2; round++) {
        accepted(post("/accounts/" + theirs + "/commands?wait=10000", deposit(), teller));
        accepted(post("/accounts/" + mine + "/commands?wait=10000", deposit(), alice));
      }
      live = untilQuiet(stream);
    }
    assertThat(live).allSatisfy(event -> assertThat(isAlices(event)).as(event.toString()).isTrue());
    List<JsonNode> deposits = live.stream()
        .filter(event -> event.path("metadata").path("aggregateId").asText().equals(mine)).toList();
    assertThat(deposits).extracting(event -> event.path("metadata").path("aggregateVersion").asLong())
        .containsExactly(2L, 3L);
    assertThat(ids(live, "metadata", "aggregateId")).doesNotContain(theirs);

    String afterFirst = null;
    try (SseStream stream = SseStream.open(node.httpUrl(), "/events/stream?from=beginning&aggregateId=" + mine, null,
        alice)) {
      for (SseStream.Frame frame : stream.events(2, WITHIN)) {
        afterFirst = frame.id();
      }
    }
    try (SseStream resumed = SseStream.open(node.httpUrl(), "/events/stream", afterFirst, alice)) {
      List<JsonNode> events = untilQuiet(resumed);
      assertThat(events).allSatisfy(event -> assertThat(isAlices(event)).as(event.toString()).isTrue());
      assertThat(events.stream().filter(event -> event.path("metadata").path("aggregateId").asText().equals(mine)))
          .extracting(event -> event.path("metadata").path("aggregateVersion").asLong()).containsExactly(3L);
      assertThat(ids(events, "metadata", "aggregateId")).doesNotContain(theirs);
    }
  }

  @Test
  void aCommandToAnotherOwnersAccountGets404AndNothingIsProduced() {
    HttpResponse<String> response = refusedWithoutWrites(() ->
        post("/accounts/" + bobAccount + "/commands?wait=5000", deposit(), alice));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).path("detail").asText()).isEqualTo("no account '" + bobAccount + "'");
  }

  @Test
  void aCommandToAnAccountNotInTheProjectionsIsRefusedToAScopedToken() {
    HttpResponse<String> response = refusedWithoutWrites(() ->
        post("/accounts/" + TestNodes.unique("A") + "/commands", deposit(), alice));

    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void aScopedTokenOpensAccountsForItsOwnerOnlyAndThenCommandsThem() {
    HttpResponse<String> forBob = refusedWithoutWrites(() -> post("/accounts/" + TestNodes.unique("A")
        + "/commands", "{\"type\":\"OpenAccount\",\"owner\":\"bob\",\"currency\":\"EUR\"}", alice));
    assertThat(forBob.statusCode()).isEqualTo(403);

    String account = opened(ALICE, alice);
    await().atMost(Duration.ofSeconds(30)).until(() -> get("/accounts/" + account, alice).statusCode() == 200);
    HttpResponse<String> deposited = post("/accounts/" + account + "/commands?wait=10000", deposit(), alice);
    assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(200);
    assertThat(json(deposited).path("status").asText()).isEqualTo("ACCEPTED");
  }

  @Test
  void aTransferFromAnotherOwnersAccountGets404AndNothingIsProduced() {
    HttpResponse<String> response = refusedWithoutWrites(() -> post("/transfers/" + TestNodes.unique("T")
        + "/commands", transfer(bobAccount, aliceAccount), alice));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).path("detail").asText()).contains(bobAccount);
  }

  @Test
  void aTransferFromItsOwnersAccountToAnyAccountIsSent() {
    HttpResponse<String> response = post("/transfers/" + TestNodes.unique("T") + "/commands",
        transfer(aliceAccount, bobAccount), alice);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
  }

  @Test
  void aScopedCommandIsRecordedAsIssuedByTheTokensSubject() {
    HttpResponse<String> deposited;
    List<SseStream.Frame> streamed;
    try (SseStream stream = SseStream.open(node.httpUrl(), "/events/stream?aggregateId=" + aliceAccount, null, alice)) {
      deposited = post("/accounts/" + aliceAccount + "/commands?wait=10000", deposit(), alice);
      assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(200);
      streamed = stream.events(1, WITHIN);
    }
    String commandId = json(deposited).path("commandId").asText();
    JsonNode event = streamed.get(0).json().path("metadata");
    assertThat(event.path("commandId").asText()).isEqualTo(commandId);
    assertThat(event.path("issuedBy").asText()).isEqualTo(ALICE + "-app");
    long version = event.path("aggregateVersion").asLong();
    await().atMost(WITHIN).untilAsserted(() -> assertThat(json(get("/accounts/" + aliceAccount + "/events?fromVersion="
        + version, alice)).path("events").get(0).path("metadata").path("issuedBy").asText()).isEqualTo(ALICE + "-app"));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<String> issuers = new ArrayList<>();
      json(get("/correlations/" + commandId, teller)).path("entries").forEach(entry -> {
        if ("COMMAND".equals(entry.path("kind").asText())) {
          issuers.add(entry.path("issuedBy").asText());
        }
      });
      assertThat(issuers).containsExactly(ALICE + "-app");
    });
    JsonNode entries = json(get("/correlations/" + commandId, alice)).path("entries");
    assertThat(entries).filteredOn(entry -> entry.path("kind").asText().equals("EVENT"))
        .extracting(entry -> entry.path("issuedBy").asText()).containsExactly(ALICE + "-app");
  }

  @Test
  void theWorkersEventsNameTheWorkerAndTheRequestNamesWhoAskedForIt() {
    JsonNode history = json(get("/transfers/" + aliceTransfer + "/events", alice)).path("events");
    assertThat(history.get(0).path("payload").path("type").asText()).isEqualTo("TransferRequested");
    assertThat(history.get(0).path("metadata").path("issuedBy").asText()).isEqualTo(ALICE + "-app");
    assertThat(history.size()).isGreaterThan(1);
    for (int later = 1; later < history.size(); later++) {
      assertThat(history.get(later).path("metadata").path("issuedBy").asText())
          .isEqualTo(TransferWorkerTopology.ISSUED_BY);
    }
    JsonNode accountHistory = json(get("/accounts/" + bobAccount + "/events", teller)).path("events");
    assertThat(accountHistory.get(0).path("metadata").path("issuedBy").asText()).isEqualTo("teller");
  }

  /** Whether an event is of an account of this test's alice or of a transfer from one, as the teller reads them. */
  private static boolean isAlices(JsonNode event) {
    String id = event.path("metadata").path("aggregateId").asText();
    String account = event.path("aggregateType").asText().equals("account") ? id
        : json(get("/transfers/" + id, teller)).path("from").asText();
    return json(get("/accounts/" + account, teller)).path("owner").asText().equals(ALICE);
  }

  /** Every event a stream sends until it stays quiet for a moment. */
  private static List<JsonNode> untilQuiet(SseStream stream) {
    List<JsonNode> events = new ArrayList<>();
    for (SseStream.Frame frame = stream.nextEvent(WITHIN); frame != null; frame = stream.nextEvent(QUIET)) {
      events.add(frame.json());
    }
    return events;
  }

  private static List<String> ids(Iterable<JsonNode> nodes, String... path) {
    List<String> ids = new ArrayList<>();
    nodes.forEach(node -> {
      JsonNode value = node;
      for (String member : path) {
        value = value.path(member);
      }
      ids.add(value.asText());
    });
    return ids;
  }

  private static void accepted(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("status").asText()).isEqualTo("ACCEPTED");
  }

  private static String scoped(String owner) {
    return tokens.token(owner + "-app", c -> c.issuer(ISSUER).audience(AUDIENCE)
        .claim(AuthSettings.OWNER_CLAIM, owner), Role.READ, Role.WRITE);
  }

  private static String opened(String owner, String token) {
    String account = TestNodes.unique("A");
    HttpResponse<String> response = post("/accounts/" + account + "/commands?wait=10000",
        "{\"type\":\"OpenAccount\",\"owner\":\"" + owner + "\",\"currency\":\"EUR\"}", token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("status").asText()).isEqualTo("ACCEPTED");
    return account;
  }

  private static String deposit() {
    return "{\"type\":\"DepositMoney\",\"amountMinor\":100,\"reference\":\"r\"}";
  }

  private static String transfer(String from, String to) {
    return "{\"type\":\"RequestTransfer\",\"from\":\"" + from + "\",\"to\":\"" + to
        + "\",\"amountMinor\":1,\"currency\":\"EUR\"}";
  }

  private static void assertSameProblem(HttpResponse<String> actual, HttpResponse<String> expected) {
    assertThat(actual.statusCode()).isEqualTo(expected.statusCode());
    assertThat(json(actual).path("type").asText()).isEqualTo(json(expected).path("type").asText());
    assertThat(json(actual).path("title").asText()).isEqualTo(json(expected).path("title").asText());
  }

  private static HttpResponse<String> refusedWithoutWrites(Supplier<HttpResponse<String>> request) {
    List<String> topics = node.topics().all().stream().map(Topic::name).toList();
    Map<String, Long> before = TopicEnds.of(node.clientProperties(), topics);
    HttpResponse<String> response = request.get();
    assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
    assertThat(TopicEnds.of(node.clientProperties(), topics)).isEqualTo(before);
    return response;
  }

  private static HttpResponse<String> get(String path, String token) {
    return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
        .header("Authorization", "Bearer " + token).GET());
  }

  private static HttpResponse<String> post(String path, String body, String token) {
    return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }
}
