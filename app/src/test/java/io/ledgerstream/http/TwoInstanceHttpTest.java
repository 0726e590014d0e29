package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerstream.account.AccountProjections;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.security.AuthSettings;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TestTokens;
import io.ledgerstream.streams.projection.LocalProjections;
import io.ledgerstream.streams.projection.ProjectionStores;
import io.ledgerstream.testing.TargetDirs;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the projections on one broker, the second without a command side, both requiring tokens: each
 * owns some keys, either answers for every key by forwarding to the owner with the caller's token, and the answer
 * names the instance that served it. A token scoped to an owner gets the same answers at either instance, whichever
 * instance holds what decides whose an aggregate is.
 */
class TwoInstanceHttpTest {

  private static final int ACCOUNTS = 12;

  private static TestTokens tokens;
  private static String token;
  private static LedgerNode first;
  private static LedgerNode second;
  private static HttpClientSupport firstHttp;
  private static HttpClientSupport secondHttp;
  private static final List<String> accounts = new ArrayList<>();

  @BeforeAll
  static void startTwoNodes() {
    tokens = TestTokens.hmac(TargetDirs.fresh("two-instances-tokens"));
    token = tokens.token("client", Role.READ, Role.WRITE);
    ApiSecurity security = new ApiSecurity(null, tokens.settings(), false, null, null, null);
    first = TestNodes.start("two-instances-1", 1, false, security);
    second = TestNodes.start("two-instances-2", 1, true, security);
    firstHttp = new HttpClientSupport(first.httpUrl(), token);
    secondHttp = new HttpClientSupport(second.httpUrl(), token);
    await().atMost(Duration.ofSeconds(60)).until(() ->
        firstHttp.get("/health/ready").statusCode() == 200 && secondHttp.get("/health/ready").statusCode() == 200);
    // the second instance takes its share of the active tasks at a probing rebalance, once its stores caught up
    await().atMost(Duration.ofSeconds(150)).ignoreExceptions().until(() -> IntStream.range(0, 64)
        .mapToObj(i -> owner(AccountProjections.SUMMARY, "spread-" + i)).collect(Collectors.toSet())
        .containsAll(List.of(address(first), address(second))));
    for (int i = 0; i < ACCOUNTS; i++) {
      String account = TestNodes.unique("A2");
      HttpClientSupport via = i % 2 == 0 ? firstHttp : secondHttp;
      HttpResponse<String> opened = via.post("/accounts/" + account + "/commands?wait=20000",
          "{\"type\":\"OpenAccount\",\"owner\":\"twin\",\"currency\":\"EUR\"}");
      assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
      accounts.add(account);
    }
  }

  @AfterAll
  static void stopNodes() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void aScopedTokenCommandsItsOwnersAccountsAtEitherInstanceAndNoOtherOwnersWherever() {
    HttpClientSupport twinAtSecond = new HttpClientSupport(second.httpUrl(), scoped("twin"));
    HttpClientSupport otherAtFirst = new HttpClientSupport(first.httpUrl(), scoped("other"));
    HttpClientSupport otherAtSecond = new HttpClientSupport(second.httpUrl(), scoped("other"));
    for (String account : accounts) {
      await().atMost(Duration.ofSeconds(30)).until(() -> twinAtSecond.get("/accounts/" + account).statusCode() == 200);
    }
    for (String account : accounts) {
      String deposit = "{\"type\":\"DepositMoney\",\"amountMinor\":1,\"reference\":\"scoped\"}";
      HttpResponse<String> own = twinAtSecond.post("/accounts/" + account + "/commands", deposit);
      assertThat(own.statusCode()).as(account + ": " + own.body()).isEqualTo(202);
      assertThat(otherAtFirst.post("/accounts/" + account + "/commands", deposit).statusCode()).isEqualTo(404);
      assertThat(otherAtSecond.post("/accounts/" + account + "/commands", deposit).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aScopedTokenReadsItsOwnersEventsTransfersAndCorrelationsAtEitherInstanceAndNoOtherOwnersWherever() {
    String stranger = TestNodes.unique("stranger");
    String theirs = TestNodes.unique("A2");
    assertAccepted(firstHttp.post("/accounts/" + theirs + "/commands?wait=20000",
        "{\"type\":\"OpenAccount\",\"owner\":\"" + stranger + "\",\"currency\":\"EUR\"}"));
    List<String> transfers = new ArrayList<>();
    for (String account : accounts.subList(0, 4)) {
      assertAccepted(firstHttp.post("/accounts/" + account + "/commands?wait=20000",
          "{\"type\":\"DepositMoney\",\"amountMinor\":5,\"reference\":\"r\"}"));
      String transfer = TestNodes.unique("T2");
      assertAccepted(firstHttp.post("/transfers/" + transfer + "/commands?wait=20000", "{\"type\":\"RequestTransfer\","
          + "\"from\":\"" + account + "\",\"to\":\"" + theirs + "\",\"amountMinor\":1,\"currency\":\"EUR\"}"));
      transfers.add(transfer);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> transfers.stream().allMatch(transfer ->
        json(firstHttp.get("/transfers/" + transfer)).path("status").asText().equals("COMPLETED")));

    for (String at : List.of(first.httpUrl(), second.httpUrl())) {
      HttpClientSupport twin = new HttpClientSupport(at, scoped("twin"));
      HttpClientSupport other = new HttpClientSupport(at, scoped(stranger));
      for (String account : accounts) {
        assertThat(twin.get("/accounts/" + account + "/events").statusCode()).as(at + " " + account).isEqualTo(200);
        assertThat(other.get("/accounts/" + account + "/events").statusCode()).as(at + " " + account).isEqualTo(404);
      }
      assertThat(twin.get("/accounts/" + theirs + "/events").statusCode()).isEqualTo(404);
      for (String transfer : transfers) {
        assertThat(twin.get("/transfers/" + transfer).statusCode()).as(at + " " + transfer).isEqualTo(200);
        assertThat(twin.get("/transfers/" + transfer + "/events").statusCode()).as(at + " " + transfer).isEqualTo(200);
        assertThat(other.get("/transfers/" + transfer).statusCode()).as(at + " " + transfer).isEqualTo(404);
        assertThat(other.get("/transfers/" + transfer + "/events").statusCode()).as(at + " " + transfer)
            .isEqualTo(404);
        String correlation = json(firstHttp.get("/transfers/" + transfer + "/correlation")).path("correlationId")
            .asText();
        Set<String> touched = aggregates(json(twin.get("/correlations/" + correlation)).path("entries"));
        assertThat(touched).as(at + " " + transfer).contains(transfer).doesNotContain(theirs);
        assertThat(aggregates(json(other.get("/correlations/" + correlation)).path("entries"))).containsOnly(theirs);
      }
    }

    String correlation = json(firstHttp.get("/transfers/" + transfers.get(0) + "/correlation")).path("correlationId")
        .asText();
    for (LedgerNode node : List.of(first, second)) {
      try (SseStream stream = SseStream.open(node.httpUrl(), "/events/stream?from=beginning&correlationId="
          + correlation, null, scoped("twin"))) {
        List<JsonNode> events = new ArrayList<>();
        for (SseStream.Frame frame = stream.nextEvent(Duration.ofSeconds(30)); frame != null;
             frame = stream.nextEvent(Duration.ofSeconds(2))) {
          events.add(frame.json());
        }
        Set<String> streamed = aggregates(events);
        assertThat(streamed).as(node.httpUrl()).containsExactlyInAnyOrder(transfers.get(0), accounts.get(0));
      }
    }
  }

  private static Set<String> aggregates(Iterable<JsonNode> entries) {
    Set<String> ids = new HashSet<>();
    entries.forEach(entry -> ids.add(entry.has("metadata") ? entry.path("metadata").path("aggregateId").asText()
        : entry.path("aggregateId").asText()));
    return ids;
  }

  private static void assertAccepted(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("status").asText()).isEqualTo("ACCEPTED");
  }

  private static String scoped(String owner) {
    return tokens.token(owner + "-app", c -> c.claim(AuthSettings.OWNER_CLAIM, owner), Role.READ, Role.WRITE);
  }

  @Test
  void theProjectionsOnlyInstanceRunsNoCommandSideYetTakesCommands() {
    assertThat(second.commandSide()).isNull();
    assertThat(json(secondHttp.get("/health/ready")).path("commandSide").asText()).isEqualTo("DISABLED");
    assertThat(json(firstHttp.get("/health/ready")).path("commandSide").asText()).isEqualTo("RUNNING");
  }

  @Test
  void eitherInstanceAnswersForEveryKeyAndNamesTheOwner() {
    Set<String> owners = new HashSet<>();
    for (String account : accounts) {
      for (HttpClientSupport via : List.of(firstHttp, secondHttp)) {
        HttpResponse<String> read = via.get("/accounts/" + account + "?minVersion=1&timeout=10000");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(json(read).path("accountId").asText()).isEqualTo(account);
        String servedBy = read.headers().firstValue(HttpServer.SERVED_BY_HEADER).orElseThrow();
        assertThat(servedBy).isEqualTo(owner(AccountProjections.SUMMARY, account));
        owners.add(servedBy);
      }
    }
    assertThat(owners).containsExactlyInAnyOrder(address(first), address(second));
  }

  @Test
  void theServingRoutingTableLocatesEveryKeyWhereKafkaStreamsDoes() {
    for (LedgerNode node : List.of(first, second)) {
      LocalProjections serving = node.generations().serving().projections();
      // made after the start, it cannot follow rebalances and asks Kafka Streams every time
      LocalProjections asked = new LocalProjections(node.projections());
      // a rebalance between the two lookups may differ for a moment; a table that stays wrong does not pass
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (int i = 0; i < 300; i++) {
          String key = i < accounts.size() ? accounts.get(i) : "key-" + i + "-\u00e9";
          for (String store : List.of(AccountProjections.SUMMARY, ProjectionStores.COMMAND_RESULTS)) {
            assertThat(serving.metadata(store, key)).as(store + " " + key).isEqualTo(asked.metadata(store, key));
          }
        }
      });
    }
  }

  @Test
  void waitingForACommandResultWorksWhicheverInstanceOwnsIt() {
    for (int i = 0; i < 6; i++) {
      String account = accounts.get(i);
      HttpClientSupport via = i % 2 == 0 ? secondHttp : firstHttp;
      HttpResponse<String> deposited = via.post("/accounts/" + account + "/commands?wait=20000",
          "{\"type\":\"DepositMoney\",\"amountMinor\":5}");
      assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(200);
      String commandId = json(deposited).path("commandId").asText();
      HttpResponse<String> viaOther = (via == firstHttp ? secondHttp : firstHttp).get("/commands/" + commandId);
      assertThat(viaOther.statusCode()).isEqualTo(200);
      assertThat(viaOther.headers().firstValue(HttpServer.SERVED_BY_HEADER))
          .contains(owner(ProjectionStores.COMMAND_RESULTS, commandId));
    }
  }

  @Test
  void historyAndAsOfAreForwardedToo() {
    for (String account : accounts) {
      HttpResponse<String> events = secondHttp.get("/accounts/" + account + "/events");
      assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
      assertThat(events.headers().firstValue(HttpServer.SERVED_BY_HEADER))
          .contains(owner(AccountProjections.HISTORY, account));
      HttpResponse<String> asOf = firstHttp.get("/accounts/" + account + "?asOfVersion=1");
      assertThat(json(asOf).path("owner").asText()).isEqualTo("twin");
    }
  }

  @Test
  void statsAddUpTheTotalsOfBothInstances() {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      HttpResponse<String> viaFirst = firstHttp.get("/stats");
      HttpResponse<String> viaSecond = secondHttp.get("/stats");
      assertThat(viaFirst.statusCode()).as(viaFirst.body()).isEqualTo(200);
      assertThat(json(viaFirst).path("instances").size()).isEqualTo(2);
      assertThat(json(viaFirst).path("totals")).isEqualTo(json(viaSecond).path("totals"));
      ObjectNode sumOfParts = JsonNodeFactory.instance.objectNode();
      StatsRoutes.add(sumOfParts, json(firstHttp.get("/stats?scope=local")).path("totals"));
      StatsRoutes.add(sumOfParts, json(secondHttp.get("/stats?scope=local")).path("totals"));
      // parsed back, so both sides hold the same kinds of number node
      assertThat(json(viaFirst).path("totals")).isEqualTo(Json.MAPPER.readTree(sumOfParts.toString()));
      assertThat(json(viaFirst).path("counts")).isEqualTo(json(viaSecond).path("counts"));
    });
  }

  @Test
  void aCorrelationSpreadOverBothInstancesIsGatheredInCausalOrderAndPaged() {
    String correlation = TestNodes.unique("spread");
    for (String account : accounts) {
      HttpResponse<String> sent = firstHttp.post("/accounts/" + account + "/commands?wait=20000",
          "{\"type\":\"DepositMoney\",\"amountMinor\":2,\"correlationId\":\"" + correlation + "\"}");
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    }
    int expected = 3 * ACCOUNTS;
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(json(secondHttp.get("/correlations/" + correlation)).path("entries").size()).isEqualTo(expected));

    int firstPart = json(firstHttp.get("/correlations/" + correlation + "?scope=local")).size();
    int secondPart = json(secondHttp.get("/correlations/" + correlation + "?scope=local")).size();
    assertThat(firstPart).isPositive();
    assertThat(secondPart).isPositive();
    assertThat(firstPart + secondPart).isEqualTo(expected);

    List<String> whole = entryIds(json(firstHttp.get("/correlations/" + correlation)));
    assertThat(entryIds(json(secondHttp.get("/correlations/" + correlation)))).isEqualTo(whole);
    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = json(secondHttp.get("/correlations/" + correlation + "?limit=5"
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))));
      assertThat(page.path("entries").size()).isBetween(1, 5);
      paged.addAll(entryIds(page));
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(paged).isEqualTo(whole);
    assertThat(pages).isEqualTo((expected + 4) / 5);
    for (int i = 0; i < whole.size(); i += 3) {
      assertThat(whole.get(i)).startsWith("COMMAND:");
    }
  }

  @Test
  void anOwnersAccountsAreGatheredFromBothInstancesAtTheirCurrentVersion() {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonNode listed = json(secondHttp.get("/owners/twin/accounts"));
      assertThat(listed.path("accounts").findValuesAsText("accountId"))
          .isEqualTo(accounts.stream().sorted().toList());
      for (JsonNode account : listed.path("accounts")) {
        JsonNode summary = json(firstHttp.get("/accounts/" + account.path("accountId").asText()));
        assertThat(account.path("version").asLong()).isEqualTo(summary.path("version").asLong());
      }
    });
    assertThat(json(firstHttp.get("/owners/twin/accounts?scope=local")).size()).isPositive();
    assertThat(json(secondHttp.get("/owners/twin/accounts?scope=local")).size()).isPositive();
  }

  @Test
  void allowStaleIsAnsweredFromALocalStandbyWithItsLag() {
    String account = accounts.stream()
        .filter(id -> owner(AccountProjections.SUMMARY, id).equals(address(first)))
        .findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> read = secondHttp.get("/accounts/" + account + "?allowStale=true");
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(read.headers().firstValue(HttpServer.SERVED_BY_HEADER)).contains(address(second));
      assertThat(read.headers().firstValue(HttpServer.STANDBY_LAG_HEADER)).isPresent();
    });
  }

  @Test
  void eitherInstanceStreamsTheEventsOfEveryPartition() {
    String correlation = TestNodes.unique("corr");
    String query = "/events/stream?correlationId=" + correlation;
    try (SseStream viaFirst = SseStream.open(first.httpUrl(), query, null, token);
         SseStream viaSecond = SseStream.open(second.httpUrl(), query, null, token)) {
      for (String account : accounts) {
        HttpResponse<String> sent = firstHttp.post("/accounts/" + account + "/commands",
            "{\"type\":\"DepositMoney\",\"amountMinor\":1,\"correlationId\":\"" + correlation + "\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
      }
      for (SseStream stream : List.of(viaFirst, viaSecond)) {
        assertThat(stream.events(ACCOUNTS, Duration.ofSeconds(20)))
            .extracting(event -> event.json().path("metadata").path("aggregateId").asText())
            .containsExactlyInAnyOrderElementsOf(accounts);
      }
    }
  }

  @Test
  void aWriteOnlyTokenWaitsForItsResultWhicheverInstanceOwnsIt() {
    String writeOnly = tokens.token("writer", Role.WRITE);
    for (int i = 0; i < 6; i++) {
      HttpClientSupport via = new HttpClientSupport((i % 2 == 0 ? first : second).httpUrl(), writeOnly);
      HttpResponse<String> deposited = via.post("/accounts/" + accounts.get(i) + "/commands?wait=20000",
          "{\"type\":\"DepositMoney\",\"amountMinor\":3}");
      assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(200);
    }
  }

  @Test
  void aForgedForwardingHeaderIsAnsweredAtOnceAndSkipsNoCheck() {
    String ownedByFirst = accounts.stream()
        .filter(id -> owner(AccountProjections.SUMMARY, id).equals(address(first)))
        .findFirst().orElseThrow();
    HttpRequest.Builder forged = HttpRequest.newBuilder(URI.create(second.httpUrl() + "/accounts/" + ownedByFirst
        + "?timeout=20000")).header(HttpServer.FORWARDED_BY_HEADER, address(first)).GET();

    long started = System.nanoTime();
    HttpResponse<String> withToken = secondHttp.send(forged.copy().header("Authorization", "Bearer " + token));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    HttpResponse<String> withoutToken = secondHttp.send(forged.copy());

    assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(503);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(withoutToken.statusCode()).isEqualTo(401);
  }

  private static String owner(String store, String key) {
    KeyQueryMetadata metadata = new LocalProjections(first.projections()).metadata(store, key);
    return metadata.activeHost().host() + ":" + metadata.activeHost().port();
  }

  private static List<String> entryIds(JsonNode correlation) {
    List<String> ids = new ArrayList<>();
    correlation.path("entries").forEach(entry -> ids.add(entry.path("kind").asText() + ":" + entry.path("id").asText()));
    return ids;
  }

  private static String address(LedgerNode node) {
    return node.httpUrl().substring("http://".length());
  }
}
