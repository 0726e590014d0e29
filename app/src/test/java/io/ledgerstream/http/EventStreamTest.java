package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static io.ledgerstream.http.HttpServerWithoutBackendTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.streams.CommandInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /events/stream} of one node, over real HTTP, against a real broker. */
class EventStreamTest {

  private static final int MAX_SUBSCRIPTIONS = 4;
  private static final int BUFFER_EVENTS = 2;
  private static final Duration HEARTBEAT = Duration.ofMillis(500);
  private static final Duration WITHIN = Duration.ofSeconds(15);
  private static final String WAIT = "?wait=20000";

  private static LedgerNode node;
  private static HttpClientSupport http;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start("event-stream", new SubscriptionSettings(MAX_SUBSCRIPTIONS, BUFFER_EVENTS, HEARTBEAT));
    http = new HttpClientSupport(node.httpUrl());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aSubscriberOfOneAccountReceivesExactlyItsEventsInOrder() {
    String watched = TestNodes.unique("A");
    String other = TestNodes.unique("A");
    try (SseStream stream = subscribe("?aggregateId=" + watched, null)) {
      open(watched, "EUR");
      open(other, "EUR");
      deposit(watched, 100);
      deposit(other, 5);
      deposit(watched, 200);
      command(watched, "{\"type\":\"WithdrawMoney\",\"amountMinor\":50}");
      deposit(other, 6);

      List<JsonNode> events = parse(stream.events(4, WITHIN));
      assertThat(events).extracting(event -> event.path("metadata").path("aggregateVersion").asLong())
          .containsExactly(1L, 2L, 3L, 4L);
      assertThat(events).extracting(event -> event.path("payload").path("type").asText())
          .containsExactly("AccountOpened", "MoneyDeposited", "MoneyDeposited", "MoneyWithdrawn");
      assertThat(events).allSatisfy(event -> {
        assertThat(event.path("aggregateType").asText()).isEqualTo("account");
        assertThat(event.path("metadata").path("aggregateId").asText()).isEqualTo(watched);
        assertThat(event.path("metadata").path("eventId").asText()).isNotBlank();
      });
      assertThat(events.get(1).path("payload").path("amountMinor").asLong()).isEqualTo(100);
      assertThat(stream.nextEvent(Duration.ofMillis(700))).isNull();
    }
  }

  @Test
  void anEventArrivesWithinASecondOfItsCommandBeingAccepted() {
    String account = TestNodes.unique("A");
    try (SseStream stream = subscribe("?aggregateId=" + account, null)) {
      open(account, "EUR");
      assertThat(stream.nextEvent(Duration.ofSeconds(1))).isNotNull();
    }
  }

  @Test
  void resumingFromTheLastEventIdMissesAndRepeatsNothing() {
    String account = TestNodes.unique("A");
    List<SseStream.Frame> received = new ArrayList<>();
    try (SseStream first = subscribe("?aggregateId=" + account, null)) {
      open(account, "EUR");
      deposit(account, 1);
      deposit(account, 2);
      received.addAll(first.events(3, WITHIN));
    }
    deposit(account, 3);
    deposit(account, 4);
    try (SseStream resumed = subscribe("?aggregateId=" + account, received.get(2).id())) {
      received.addAll(resumed.events(2, WITHIN));
      deposit(account, 5);
      received.addAll(resumed.events(1, WITHIN));
      assertThat(resumed.nextEvent(Duration.ofMillis(500))).isNull();
    }
    String fourthId = URLEncoder.encode(received.get(3).id(), StandardCharsets.UTF_8);
    try (SseStream byQuery = subscribe("?aggregateId=" + account + "&lastEventId=" + fourthId, null)) {
      assertThat(parse(byQuery.events(2, WITHIN))).extracting(event -> event.path("payload").path("amountMinor").asLong())
          .containsExactly(4L, 5L);
    }

    List<JsonNode> events = parse(received);
    assertThat(events).extracting(event -> event.path("metadata").path("aggregateVersion").asLong())
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    await().atMost(WITHIN).until(() -> json(http.get("/accounts/" + account + "/events")).path("events").size() == 6);
    JsonNode stored = json(http.get("/accounts/" + account + "/events"));
    List<String> storedIds = new ArrayList<>();
    stored.path("events").forEach(event -> storedIds.add(event.path("metadata").path("eventId").asText()));
    assertThat(events).extracting(event -> event.path("metadata").path("eventId").asText())
        .containsExactlyElementsOf(storedIds);
  }

  @Test
  void fromBeginningReplaysHistory() {
    String account = TestNodes.unique("A");
    open(account, "EUR");
    deposit(account, 10);
    try (SseStream stream = subscribe("?from=beginning&aggregateId=" + account, null)) {
      assertThat(parse(stream.events(2, WITHIN))).extracting(event -> event.path("payload").path("type").asText())
          .containsExactly("AccountOpened", "MoneyDeposited");
    }
  }

  @Test
  void correlationAndTypeFiltersSelectAcrossAggregates() {
    String correlation = TestNodes.unique("corr");
    String from = TestNodes.unique("A");
    String to = TestNodes.unique("A");
    String transfer = TestNodes.unique("T");
    try (SseStream correlated = subscribe("?correlationId=" + correlation, null);
         SseStream transfers = subscribe("?aggregateType=transfer&correlationId=" + correlation, null)) {
      command(from, "{\"type\":\"OpenAccount\",\"owner\":\"o\",\"currency\":\"EUR\",\"correlationId\":\""
          + correlation + "\"}");
      open(to, "EUR");
      command(from, "{\"type\":\"DepositMoney\",\"amountMinor\":900,\"correlationId\":\"" + correlation + "\"}");
      deposit(from, 7);
      HttpResponse<String> requested = http.post("/transfers/" + transfer + "/commands" + WAIT,
          "{\"type\":\"RequestTransfer\",\"from\":\"" + from + "\",\"to\":\"" + to
              + "\",\"amountMinor\":250,\"currency\":\"EUR\",\"correlationId\":\"" + correlation + "\"}");
      assertThat(requested.statusCode()).as(requested.body()).isEqualTo(200);

      List<JsonNode> events = parse(correlated.events(3, WITHIN));
      assertThat(events).allSatisfy(event ->
          assertThat(event.path("metadata").path("correlationId").asText()).isEqualTo(correlation));
      assertThat(events).extracting(event -> event.path("payload").path("type").asText())
          .containsExactlyInAnyOrder("AccountOpened", "MoneyDeposited", "TransferRequested");
      JsonNode transferEvent = parse(transfers.events(1, WITHIN)).get(0);
      assertThat(transferEvent.path("aggregateType").asText()).isEqualTo("transfer");
      assertThat(transferEvent.path("metadata").path("aggregateId").asText()).isEqualTo(transfer);
      assertThat(transferEvent.path("payload").path("type").asText()).isEqualTo("TransferRequested");
    }
  }

  @Test
  void aClientThatStopsReadingGetsAnOverflowEventAndIsDisconnected() throws IOException {
    String account = TestNodes.unique("A");
    double overflowsBefore = metric("ledgerstream_event_subscription_overflows_total");
    HttpResponse<InputStream> stalled = SseStream.send(
        SseStream.request(node.httpUrl(), "/events/stream?aggregateId=" + account, null),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stalled.statusCode()).isEqualTo(200);
    open(account, "EUR");
    // large events fill the socket buffers between server and client quickly, so the server's buffer fills next
    String reference = "r".repeat(CommandInput.MAX_TEXT_LENGTH);
    for (int sent = 0; sent < 1200 && metric("ledgerstream_event_subscription_overflows_total") == overflowsBefore;
         sent += 10) {
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> posted = http.post("/accounts/" + account + "/commands",
            "{\"type\":\"DepositMoney\",\"amountMinor\":1,\"reference\":\"" + reference + "\"}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
      }
    }
    await().atMost(WITHIN).until(() -> metric("ledgerstream_event_subscription_overflows_total") > overflowsBefore);

    List<SseStream.Frame> frames = readToTheEnd(stalled.body());
    SseStream.Frame last = frames.get(frames.size() - 1);
    List<SseStream.Frame> events = frames.subList(0, frames.size() - 1);
    assertThat(last.event()).isEqualTo("overflow");
    assertThat(last.json().path("detail").asText()).contains("Last-Event-ID");
    assertThat(events).isNotEmpty().allSatisfy(frame -> assertThat(frame.event()).isNull());
    assertThat(last.json().path("lastEventId").asText()).isEqualTo(events.get(events.size() - 1).id());
    List<Long> versions = parse(events).stream().map(event -> event.path("metadata").path("aggregateVersion").asLong())
        .toList();
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i)).isEqualTo(i + 1L);
    }

    try (SseStream resumed = subscribe("?aggregateId=" + account, last.json().path("lastEventId").asText())) {
      assertThat(resumed.nextEvent(WITHIN).json().path("metadata").path("aggregateVersion").asLong())
          .isEqualTo(versions.size() + 1L);
    }
  }

  @Test
  void anIdleStreamGetsHeartbeatComments() {
    try (SseStream stream = subscribe("?aggregateId=" + TestNodes.unique("quiet"), null)) {
      SseStream.Frame frame = stream.nextFrame(HEARTBEAT.multipliedBy(4));
      assertThat(frame).isNotNull();
      assertThat(frame.comment()).isEqualTo("keep-alive");
    }
  }

  @Test
  void subscriptionsBeyondTheLimitAre503Problems() {
    // subscribers closed by earlier tests are let go at the next heartbeat
    await().atMost(WITHIN).until(() -> metric("ledgerstream_event_subscriptions") == 0);
    List<SseStream> streams = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_SUBSCRIPTIONS; i++) {
        streams.add(subscribe("", null));
      }
      assertProblem(http.get("/events/stream"), 503, "unavailable");
    } finally {
      streams.forEach(SseStream::close);
    }
    await().atMost(WITHIN).until(() -> metric("ledgerstream_event_subscriptions") == 0);
    subscribe("", null).close();
  }

  @Test
  void badParametersAre400Problems() {
    assertProblem(http.get("/events/stream?aggregateType=customer"), 400, "bad-request");
    assertProblem(http.get("/events/stream?from=yesterday"), 400, "bad-request");
    assertProblem(http.get("/events/stream?lastEventId=x.1.2"), 400, "bad-request");
    assertProblem(http.get("/events/stream?lastEventId=a.1.-2"), 400, "bad-request");
    assertProblem(http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/events/stream"))
        .header("Last-Event-ID", "a.1.two_t.3")), 400, "bad-request");
  }

  private static SseStream subscribe(String query, String lastEventId) {
    return SseStream.open(node.httpUrl(), "/events/stream" + query, lastEventId);
  }

  private static List<SseStream.Frame> readToTheEnd(InputStream body) throws IOException {
    List<SseStream.Frame> frames = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          frames.add(new SseStream.Frame(id, event, line.substring(6), null));
          id = null;
          event = null;
        }
      }
    }
    return frames;
  }

  private static double metric(String name) {
    Matcher value = Pattern.compile("^" + name + " (\\S+)$", Pattern.MULTILINE).matcher(http.get("/metrics").body());
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }

  private static List<JsonNode> parse(List<SseStream.Frame> frames) {
    return frames.stream().map(SseStream.Frame::json).toList();
  }

  private static void open(String account, String currency) {
    command(account, "{\"type\":\"OpenAccount\",\"owner\":\"o\",\"currency\":\"" + currency + "\"}");
  }

  private static void deposit(String account, long amountMinor) {
    command(account, "{\"type\":\"DepositMoney\",\"amountMinor\":" + amountMinor + "}");
  }

  private static void command(String account, String body) {
    HttpResponse<String> response = http.post("/accounts/" + account + "/commands" + WAIT, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }
}
