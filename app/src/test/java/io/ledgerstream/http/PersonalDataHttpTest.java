package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TestTokens;
import io.ledgerstream.testing.TargetDirs;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An account's holder over real HTTP on the real broker: sealed before it is written, shown opened to a reader on
 * every read path, and shown erased on every one of them once an admin forgot the owner, balances untouched.
 */
class PersonalDataHttpTest {

  private static final String NAME = "Philomena Hargreave-Osei";
  private static final String EMAIL = "philomena.ho@example.test";
  private static final Duration WITHIN = Duration.ofSeconds(30);
  /** Every partition of every events topic from its start: a replay of the whole store. */
  private static final String FROM_THE_START = "a.0.0.0.0.0.0_t.0.0.0.0.0.0";

  private static TestTokens tokens;
  private static LedgerNode node;
  private static HttpClientSupport teller;
  private static HttpClientSupport admin;

  @BeforeAll
  static void start() {
    tokens = TestTokens.hmac(TargetDirs.fresh("personal-data-http-test"));
    node = TestNodes.start("personal-data-http", new ApiSecurity(null, tokens.settings(), false, null, null, null));
    teller = new HttpClientSupport(node.httpUrl(), tokens.token("teller", Role.READ, Role.WRITE));
    admin = new HttpClientSupport(node.httpUrl(), tokens.token("dpo-1", Role.READ, Role.WRITE, Role.ADMIN));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyReadPathShowsTheHolderToAReader() {
    String owner = TestNodes.unique("owner");
    String account = TestNodes.unique("A");
    try (SseStream stream = SseStream.open(node.httpUrl(), "/events/stream?aggregateId=" + account, null,
        tokens.token("reader", Role.READ))) {
      String correlation = open(account, owner);

      JsonNode summary = summary(account, 1);
      assertThat(summary.path("holder").path("name").asText()).isEqualTo(NAME);
      assertThat(summary.path("holder").path("email").asText()).isEqualTo(EMAIL);
      assertThat(summary.path("erased").asBoolean(true)).isFalse();
      assertOpened(json(teller.get("/accounts/" + account + "/events")).path("events").get(0).path("payload"));
      assertOpened(json(teller.get("/accounts/" + account + "?asOfVersion=1")));
      assertOpened(stream.events(1, WITHIN).get(0).json().path("payload"));
      await().atMost(WITHIN).untilAsserted(() -> assertThat(correlation(correlation)).hasSize(2)
          .allSatisfy(PersonalDataHttpTest::assertOpened));
    }
  }

  @Test
  void afterForgettingEveryReadPathShowsTheHolderErasedAndTheMoneyStays() {
    String owner = TestNodes.unique("owner");
    String account = TestNodes.unique("A");
    String bystander = TestNodes.unique("A");
    String correlation = open(account, owner);
    open(bystander, TestNodes.unique("owner"));
    deposit(account, 700);
    summary(account, 2);

    HttpResponse<String> forgotten = admin.post("/owners/" + owner + "/forget", "");
    assertThat(forgotten.statusCode()).as(forgotten.body()).isEqualTo(200);
    assertThat(json(forgotten).path("forgottenBy").asText()).isEqualTo("dpo-1");
    assertThat(json(forgotten).path("keysDestroyed").asInt()).isEqualTo(1);
    assertThat(forgotten.body()).doesNotContain(NAME, EMAIL);

    JsonNode summary = summary(account, 2);
    assertErased(summary);
    assertThat(summary.path("balanceMinor").asLong()).isEqualTo(700);
    assertThat(summary.path("version").asLong()).isEqualTo(2);
    JsonNode events = json(teller.get("/accounts/" + account + "/events")).path("events");
    assertThat(events).hasSize(2);
    assertErased(events.get(0).path("payload"));
    assertErased(json(teller.get("/accounts/" + account + "?asOfVersion=1")));
    assertThat(correlation(correlation)).hasSize(2).allSatisfy(PersonalDataHttpTest::assertErased);
    try (SseStream replay = SseStream.open(node.httpUrl(), "/events/stream?aggregateId=" + account, FROM_THE_START,
        tokens.token("reader", Role.READ))) {
      assertErased(replay.events(1, WITHIN).get(0).json().path("payload"));
    }
    assertOpened(summary(bystander, 1));

    HttpResponse<String> again = admin.post("/owners/" + owner + "/forget", "");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).path("keysDestroyed").asInt()).isEqualTo(1);
    assertThat(json(again).path("forgottenAt").asText()).isEqualTo(json(forgotten).path("forgottenAt").asText());
    deposit(account, 5);
    assertThat(summary(account, 3).path("balanceMinor").asLong()).isEqualTo(705);
  }

  @Test
  void forgettingNeedsAnAdminToken() {
    String owner = TestNodes.unique("owner");
    String account = TestNodes.unique("A");
    open(account, owner);
    HttpResponse<String> anonymous = new HttpClientSupport(node.httpUrl()).post("/owners/" + owner + "/forget", "");
    HttpResponse<String> notAdmin = teller.post("/owners/" + owner + "/forget", "");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(notAdmin.statusCode()).isEqualTo(403);
    assertThat(notAdmin.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
    assertOpened(summary(account, 1));
  }

  @Test
  void aMalformedHolderIsRefusedWithoutRepeatingIt() {
    String account = TestNodes.unique("A");
    for (String holder : List.of("\"" + NAME + "\"", "{\"name\":\"" + NAME + "\"}",
        "{\"name\":\"" + NAME + "\",\"email\":\"no-at-sign\"}", "{\"name\":\"" + NAME + "\",\"email\":\"" + EMAIL
            + "\",\"phone\":\"1\"}")) {
      HttpResponse<String> response = teller.post("/accounts/" + account + "/commands?wait=5000",
          "{\"type\":\"OpenAccount\",\"owner\":\"o\",\"currency\":\"EUR\",\"holder\":" + holder + "}");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(response.body()).doesNotContain(NAME, "no-at-sign");
    }
    assertThat(teller.get("/accounts/" + account).statusCode()).isEqualTo(404);
  }

  private static String open(String account, String owner) {
    HttpResponse<String> response = teller.post("/accounts/" + account + "/commands?wait=10000",
        "{\"type\":\"OpenAccount\",\"owner\":\"" + owner + "\",\"currency\":\"EUR\",\"holder\":{\"name\":\"" + NAME
            + "\",\"email\":\"" + EMAIL + "\"}}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).doesNotContain(NAME, EMAIL);
    return json(response).path("correlationId").asText();
  }

  private static void deposit(String account, long amountMinor) {
    HttpResponse<String> response = teller.post("/accounts/" + account + "/commands?wait=10000",
        "{\"type\":\"DepositMoney\",\"amountMinor\":" + amountMinor + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static JsonNode summary(String account, long version) {
    HttpResponse<String> response = teller.get("/accounts/" + account + "?minVersion=" + version + "&timeout=20000");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  /** The correlation's command and event of the opening, each with its holder field. */
  private static List<JsonNode> correlation(String correlation) {
    HttpResponse<String> response = teller.get("/correlations/" + correlation);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> withHolder = new java.util.ArrayList<>();
    json(response).path("entries").forEach(entry -> {
      if (entry.path("fields").has("holder")) {
        withHolder.add(entry.path("fields"));
      }
    });
    return withHolder;
  }

  private static void assertOpened(JsonNode holderOf) {
    assertThat(holderOf.path("holder").path("name").asText()).as(holderOf.toString()).isEqualTo(NAME);
    assertThat(holderOf.path("holder").path("email").asText()).isEqualTo(EMAIL);
    assertThat(holderOf.path("erased").isBoolean()).isTrue();
    assertThat(holderOf.path("erased").asBoolean()).isFalse();
  }

  private static void assertErased(JsonNode holderOf) {
    assertThat(holderOf.has("holder")).as(holderOf.toString()).isTrue();
    assertThat(holderOf.path("holder").isNull()).as(holderOf.toString()).isTrue();
    assertThat(holderOf.path("erased").asBoolean()).as(holderOf.toString()).isTrue();
    assertThat(holderOf.toString()).doesNotContain(NAME, EMAIL);
  }
}
