package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.dlq.Letters;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TestTokens;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.testing.TargetDirs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API with tokens required, on the real broker over real HTTP: one test per refusal, each checking the
 * answer and that nothing reached the topics, and the requests each role may make.
 */
class SecureHttpApiTest {

  private static final String ISSUER = "https://id.ledgerstream.test";
  private static final String AUDIENCE = "ledgerstream";

  private static TestTokens tokens;
  private static LedgerNode node;
  private static HttpClientSupport http;
  private static String reader;
  private static String writer;
  private static String admin;

  @BeforeAll
  static void start() {
    tokens = TestTokens.hmac(TargetDirs.fresh("secure-http-api-test"));
    node = TestNodes.start("secure-http", new ApiSecurity(null, tokens.settings().requiring(ISSUER, AUDIENCE),
        false, null, null, null), new SubscriptionSettings(SubscriptionSettings.DEFAULT_MAX_SUBSCRIPTIONS,
        SubscriptionSettings.DEFAULT_BUFFER_EVENTS, Duration.ofSeconds(1), SubscriptionSettings.DEFAULT_BUFFER_BYTES,
        2));
    http = new HttpClientSupport(node.httpUrl());
    reader = token("reader", Role.READ);
    writer = token("writer", Role.WRITE);
    admin = token("admin", Role.ADMIN);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aWriterSendsCommandsAndReadsTheirResultsAndAReaderReadsTheAccount() {
    String account = TestNodes.unique("A");
    HttpResponse<String> opened = post("/accounts/" + account + "/commands?wait=10000",
        "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\"}", writer);
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
    String commandId = json(opened).path("commandId").asText();

    assertThat(get("/commands/" + commandId, writer).statusCode()).isEqualTo(200);
    assertThat(get("/accounts/" + account + "?minVersion=1", reader).statusCode()).isEqualTo(200);
    assertThat(get("/admin/projections", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void aCommandIsRecordedAsIssuedByTheTokensSubjectInItsCorrelation() {
    String account = TestNodes.unique("A");
    String correlation = TestNodes.unique("corr");
    HttpResponse<String> opened = post("/accounts/" + account + "/commands?wait=10000",
        "{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\",\"correlationId\":\""
            + correlation + "\"}", writer);
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> found = get("/correlations/" + correlation, reader);
      assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
      List<JsonNode> commands = new ArrayList<>();
      json(found).path("entries").forEach(entry -> {
        if ("COMMAND".equals(entry.path("kind").asText())) {
          commands.add(entry);
        }
      });
      assertThat(commands).singleElement().satisfies(command ->
          assertThat(command.path("issuedBy").asText()).isEqualTo("writer"));
    });
  }

  @Test
  void aBodyThatNamesItsOwnIssuerGets422AndIsNotSent() {
    HttpResponse<String> response = refusedWithoutWrites(() -> post(commandPath(),
        "{\"type\":\"DepositMoney\",\"amountMinor\":100,\"reference\":\"r\",\"issuedBy\":\"mallory\"}", writer));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(json(response).path("detail").asText()).contains("issuedBy");
  }

  @Test
  void aReDriveIsRecordedAsMadeByTheTokensSubject() throws Exception {
    String key = TestNodes.unique("poison");
    Letters.produce(RealKafka.bootstrapServers(), Topics.ACCOUNT_COMMANDS, key,
        "poison".getBytes(StandardCharsets.UTF_8), Map.of());
    AtomicReference<String> position = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (JsonNode letter : json(get("/admin/dlq?limit=500", admin)).path("letters")) {
        if (key.equals(letter.path("key").asText())) {
          position.set(letter.path("position").asText());
          return true;
        }
      }
      return false;
    });

    HttpResponse<String> redriven = post("/admin/dlq/redrive", "{\"letters\":[\"" + position.get() + "\"]}", admin);

    assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
    assertThat(json(redriven).path("redriven").get(0).path("by").asText()).isEqualTo("admin");
  }

  @Test
  void probesAndOperationsNeedNoTokenOnALoopbackServer() {
    assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
    assertThat(get("/openapi.json", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aCommandWithoutATokenGets401WithABearerChallengeAndIsNotSent() {
    HttpResponse<String> response = refusedWithoutWrites(() -> post(commandPath(), deposit(), null));

    assertUnauthorized(response);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"ledgerstream\"");
  }

  @Test
  void aQueryWithoutATokenGets401() {
    assertUnauthorized(get("/accounts/A-1", null));
    assertUnauthorized(get("/events/stream", null));
    assertUnauthorized(get("/no/such/route", null));
  }

  @Test
  void aTokenWithABadSignatureGets401() {
    HttpResponse<String> response = refusedWithoutWrites(() ->
        post(commandPath(), deposit(), tokens.tokenUnderOtherSecret("mallory", Role.WRITE)));

    assertInvalidToken(response, "signature");
  }

  @Test
  void anExpiredTokenGets401() {
    String expired = tokens.token("writer", c -> c.issuer(ISSUER).audience(AUDIENCE)
        .expirationTime(new java.util.Date(System.currentTimeMillis() - 600_000)), Role.WRITE);

    assertInvalidToken(refusedWithoutWrites(() -> post(commandPath(), deposit(), expired)), "Expired");
  }

  @Test
  void aTokenForAnotherIssuerOrAudienceGets401() {
    String otherIssuer = tokens.token("writer", c -> c.issuer("https://evil.test").audience(AUDIENCE), Role.WRITE);
    String otherAudience = tokens.token("writer", c -> c.issuer(ISSUER).audience("other-service"), Role.WRITE);

    assertInvalidToken(refusedWithoutWrites(() -> post(commandPath(), deposit(), otherIssuer)), "iss");
    assertInvalidToken(refusedWithoutWrites(() -> post(commandPath(), deposit(), otherAudience)), "aud");
  }

  @Test
  void anUnsignedTokenGets401() {
    String none = TestTokens.unsignedToken("mallory", Role.WRITE);

    assertInvalidToken(refusedWithoutWrites(() -> post(commandPath(), deposit(), none)), "not signed");
  }

  @Test
  void aReaderCannotSendCommandsAndAWriterCannotRebuild() {
    HttpResponse<String> command = refusedWithoutWrites(() -> post(commandPath(), deposit(), reader));
    HttpResponse<String> rebuild = post("/admin/projections/rebuild", "", writer);

    for (HttpResponse<String> response : List.of(command, rebuild)) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
      assertThat(response.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
      assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("error=\"insufficient_scope\"");
    }
    assertThat(json(rebuild).path("detail").asText()).contains("ledger.admin");
    assertThat(get("/accounts/A-1", writer).statusCode()).isEqualTo(403);
  }

  @Test
  void aCommandThatIsNotJsonGets415AndIsNotSent() {
    HttpResponse<String> response = refusedWithoutWrites(() -> http.send(HttpRequest.newBuilder(
            URI.create(node.httpUrl() + commandPath()))
        .header("Authorization", "Bearer " + writer)
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(deposit()))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
    assertThat(json(response).path("type").asText()).endsWith("/unsupported-media-type");
  }

  @Test
  void aForgedForwardingHeaderSkipsNoCheck() {
    HttpResponse<String> withoutToken = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/stats"))
        .header(HttpServer.FORWARDED_BY_HEADER, "localhost:1").GET());
    HttpResponse<String> command = refusedWithoutWrites(() -> http.send(HttpRequest.newBuilder(
            URI.create(node.httpUrl() + commandPath()))
        .header(HttpServer.FORWARDED_BY_HEADER, "localhost:1")
        .header("Authorization", "Bearer " + reader)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(deposit()))));

    assertUnauthorized(withoutToken);
    assertThat(command.statusCode()).isEqualTo(403);
  }

  @Test
  void aCorsPreflightFromAnotherOriginIsRefused() {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + commandPath()))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(json(response).path("type").asText()).endsWith("/cross-origin-refused");
  }

  @Test
  void oneTokenSubjectHoldsAtMostItsShareOfSubscriptions() {
    String query = "/events/stream?aggregateId=" + TestNodes.unique("S");
    try (SseStream first = SseStream.open(node.httpUrl(), query, null, reader);
         SseStream second = SseStream.open(node.httpUrl(), query, null, reader)) {
      HttpResponse<String> third = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + query))
          .header("Authorization", "Bearer " + token("reader", Role.READ)).GET());
      assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
      assertThat(json(third).path("type").asText()).endsWith("/too-many-requests");
      try (SseStream otherSubject = SseStream.open(node.httpUrl(), query, null, token("another-reader", Role.READ))) {
        assertThat(otherSubject).isNotNull();
      }
    }
    // the subscriptions are let go at the next heartbeat (every second here), and the subject may subscribe again;
    // an attempt that comes too early holds its first subscription until the next heartbeat too, so tries are spaced
    // further apart than heartbeats
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1_500)).untilAsserted(() -> {
      try (SseStream again = SseStream.open(node.httpUrl(), query, null, reader);
           SseStream andAgain = SseStream.open(node.httpUrl(), query, null, reader)) {
        assertThat(andAgain).isNotNull();
      }
    });
  }

  private static HttpResponse<String> refusedWithoutWrites(Supplier<HttpResponse<String>> request) {
    List<String> topics = node.topics().all().stream().map(Topic::name).toList();
    Map<String, Long> before = TopicEnds.of(node.clientProperties(), topics);
    HttpResponse<String> response = request.get();
    assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
    assertThat(TopicEnds.of(node.clientProperties(), topics)).isEqualTo(before);
    return response;
  }

  private static void assertUnauthorized(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer ");
    assertThat(json(response).path("type").asText()).endsWith("/unauthorized");
  }

  private static void assertInvalidToken(HttpResponse<String> response, String reason) {
    assertUnauthorized(response);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    assertThat(json(response).path("detail").asText()).contains(reason);
  }

  private static String token(String subject, Role role) {
    return tokens.token(subject, c -> c.issuer(ISSUER).audience(AUDIENCE), role);
  }

  private static String commandPath() {
    return "/accounts/" + TestNodes.unique("A") + "/commands";
  }

  private static String deposit() {
    return "{\"type\":\"DepositMoney\",\"amountMinor\":100,\"reference\":\"r\"}";
  }

  private static HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.httpUrl() + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request);
  }

  private static HttpResponse<String> post(String path, String body, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request);
  }
}
