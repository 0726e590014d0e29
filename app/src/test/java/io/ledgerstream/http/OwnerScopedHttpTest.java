package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.security.AuthSettings;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TestTokens;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.testing.TargetDirs;
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
 * only; bob's account reads as missing, commands to it are refused with nothing produced, and routes that do not check
 * the owner are closed to it.
 */
class OwnerScopedHttpTest {

  private static final String ISSUER = "https://id.ledgerstream.test";
  private static final String AUDIENCE = "ledgerstream";

  private static TestTokens tokens;
  private static LedgerNode node;
  private static HttpClientSupport http;
  private static String teller;
  private static String alice;
  private static String aliceAccount;
  private static String bobAccount;

  @BeforeAll
  static void start() {
    tokens = TestTokens.hmac(TargetDirs.fresh("owner-scoped-http-test"));
    node = TestNodes.start("owner-scoped-http", new ApiSecurity(null, tokens.settings().requiring(ISSUER, AUDIENCE),
        false, null, null, null));
    http = new HttpClientSupport(node.httpUrl());
    teller = tokens.token("teller", c -> c.issuer(ISSUER).audience(AUDIENCE), Role.READ, Role.WRITE);
    alice = scoped("alice");
    aliceAccount = opened("alice", teller);
    bobAccount = opened("bob", teller);
    await().atMost(Duration.ofSeconds(30)).until(() -> get("/accounts/" + bobAccount, teller).statusCode() == 200
        && get("/accounts/" + aliceAccount, alice).statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aScopedTokenReadsItsOwnersAccountAndAnotherOwnersReadsAsMissing() {
    assertThat(json(get("/accounts/" + aliceAccount, alice)).path("owner").asText()).isEqualTo("alice");

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
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(json(get("/owners/alice/accounts", alice))
        .path("accounts")).extracting(account -> account.path("accountId").asText()).contains(aliceAccount));

    HttpResponse<String> foreign = get("/owners/bob/accounts", alice);
    assertThat(foreign.statusCode()).isEqualTo(200);
    assertThat(json(foreign).path("accounts")).isEmpty();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(json(get("/owners/bob/accounts", teller)).path("accounts")).isNotEmpty());
  }

  @Test
  void routesThatDoNotCheckTheOwnerAnswer404ToAScopedToken() {
    for (String path : List.of("/stats", "/correlations/" + bobAccount, "/commands/" + bobAccount,
        "/accounts/" + bobAccount + "/events", "/accounts/" + aliceAccount + "/events",
        "/transfers/" + TestNodes.unique("T"), "/events/stream")) {
      HttpResponse<String> response = get(path, alice);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
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

    String account = opened("alice", alice);
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
    HttpResponse<String> deposited = post("/accounts/" + aliceAccount + "/commands?wait=10000", deposit(), alice);
    assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(200);
    String commandId = json(deposited).path("commandId").asText();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<String> issuers = new ArrayList<>();
      json(get("/correlations/" + commandId, teller)).path("entries").forEach(entry -> {
        if ("COMMAND".equals(entry.path("kind").asText())) {
          issuers.add(entry.path("issuedBy").asText());
        }
      });
      assertThat(issuers).containsExactly("alice-app");
    });
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
