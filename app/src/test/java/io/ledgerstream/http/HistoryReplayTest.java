package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static io.ledgerstream.http.HttpServerWithoutBackendTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.ledgerstream.account.AccountType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerstream.cli.Main;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.node.NodeSettings;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.generation.Generation;
import io.ledgerstream.testing.SeparateKafka;
import io.ledgerstream.testing.TargetDirs;
import io.ledgerstream.transfer.TransferEventFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What replays a ledger's history, on a real broker of its own so the history is this test's alone: blue/green
 * rebuilds of the projections, and shadow replays of the command side with a diff against production.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class HistoryReplayTest {

  private static final int ACCOUNTS = 8;
  /** Enough history that a rebuild takes several of its transactions, so a crash can fall between two of them. */
  private static final int DEPOSITS = 8_000;
  private static final Duration REBUILD_COMMIT_INTERVAL = Duration.ofMillis(100);
  private static final String WAIT = "?wait=20000";
  private static final List<String> OWNERS =
      List.of(TestNodes.unique("rebuild-owner"), TestNodes.unique("rebuild-owner"));

  private static final List<String> accounts = new ArrayList<>();
  private static final Map<String, Long> versions = new HashMap<>();
  private static String kafka;
  private static Path data;
  private static LedgerNode node;
  private static HttpClientSupport http;
  private static String transfer;
  private static String retried;

  @BeforeAll
  static void startNodeWithHistory() {
    kafka = SeparateKafka.bootstrapServers();
    data = TargetDirs.fresh("projection-rebuild");
    node = TestNodes.start(kafka, data, false, REBUILD_COMMIT_INTERVAL);
    http = new HttpClientSupport(node.httpUrl());
    for (int i = 0; i < ACCOUNTS; i++) {
      String account = TestNodes.unique("R");
      accounts.add(account);
      accepted(http.post("/accounts/" + account + "/commands" + WAIT, "{\"type\":\"OpenAccount\",\"owner\":\""
          + OWNERS.get(i % 2) + "\",\"currency\":\"" + (i % 3 == 0 ? "USD" : "EUR") + "\"}"));
      versions.put(account, 1L);
    }
    HttpResponse<String> rejected = http.post("/accounts/" + accounts.get(0) + "/commands" + WAIT,
        "{\"type\":\"WithdrawMoney\",\"amountMinor\":1000000}");
    assertThat(rejected.statusCode()).isEqualTo(422);
    deposits();
    transfer = TestNodes.unique("T");
    accepted(http.post("/transfers/" + transfer + "/commands" + WAIT, "{\"type\":\"RequestTransfer\",\"from\":\""
        + accounts.get(1) + "\",\"to\":\"" + accounts.get(2) + "\",\"amountMinor\":5,\"currency\":\"EUR\"}"));
    retried = TestNodes.unique("R");
    accepted(http.post("/accounts/" + retried + "/commands" + WAIT, "{\"type\":\"OpenAccount\",\"owner\":\"retrier\","
        + "\"currency\":\"EUR\"}"));
    String deposit = "{\"type\":\"DepositMoney\",\"amountMinor\":777,\"reference\":\"retried\",\"commandId\":\""
        + TestNodes.unique("retried") + "\"}";
    accepted(http.post("/accounts/" + retried + "/commands" + WAIT, deposit));
    pause(Duration.ofMillis(50));
    accepted(http.post("/accounts/" + retried + "/commands" + WAIT, deposit));
    for (String account : accounts) {
      ok(http.get("/accounts/" + account + "?minVersion=" + versions.get(account) + "&timeout=30000"));
    }
    await().atMost(Duration.ofSeconds(60))
        .until(() -> "COMPLETED".equals(json(http.get("/transfers/" + transfer)).path("status").asText()));
    await().atMost(Duration.ofSeconds(60)).until(() -> servingGeneration().path("caughtUp").asBoolean());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  /** Blue/green rebuilds: identical views, queries answering throughout, a crash survived, an abandon. */
  @Nested
  @Order(2)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class ProjectionRebuild {

    @Test
    @Order(1)
    void aRebuildServesTheSameViewsAndQueriesAnswerThroughout() throws Exception {
      // the history gains TransferRequested v1, as an older release wrote it, which every generation reads as v2;
      // after the shadow replays, which could not re-create events no recorded command made
      olderEventVersions();
      Map<String, JsonNode> before = views();
      for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
        assertThat(before.get("/transfers/" + fixture.transferId()).path("amountMinor").asLong())
            .isEqualTo(TransferEventFixtures.AMOUNT_MINOR);
        assertThat(before.get("/transfers/" + fixture.transferId() + "/events").path("events").get(0).path("payload")
            .path("amount").path("minor").asLong()).isEqualTo(TransferEventFixtures.AMOUNT_MINOR);
      }
      int old = overview().path("serving").asInt();
      assertThat(topicsOf(old)).isNotEmpty();
      Poller poller = new Poller(before);
      poller.start();

      ByteArrayOutputStream progress = new ByteArrayOutputStream();
      PrintStream stderr = System.err;
      int exit;
      System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
      try {
        exit = Main.run("rebuild", "--url", node.httpUrl());
      } finally {
        System.setErr(stderr);
      }
      // the poller goes on past the old generation's retirement and removal
      await().atMost(Duration.ofSeconds(30)).until(() -> generation(overview(), old).path("cleanedUp").asBoolean());
      poller.stop();

      assertThat(exit).isZero();
      assertThat(poller.failures).isEmpty();
      assertThat(poller.answered.get()).isGreaterThan(20);
      JsonNode overview = overview();
      assertThat(overview.path("serving").asInt()).isEqualTo(old + 1);
      assertThat(generation(overview, old).path("state").asText()).isEqualTo("RETIRED");
      assertThat(views()).isEqualTo(before);
      assertThat(progress.toString(StandardCharsets.UTF_8))
          .contains("rebuilding the projections as generation " + (old + 1))
          .contains("\rgeneration " + (old + 1) + " [");
      assertThat(http.get("/metrics").body()).contains("application=\"ledgerstream-projections\"");

      assertThat(topicsOf(old)).isEmpty();
      assertThat(groups()).doesNotContain(Generation.applicationId(old)).contains(Generation.applicationId(old + 1));
      assertThat(Files.exists(stateDir(old))).isFalse();
    }

    @Test
    @Order(2)
    void aCrashMidRebuildLeavesTheServingGenerationAndTheRebuildResumes() {
      Map<String, JsonNode> before = views();
      int serving = overview().path("serving").asInt();
      HttpResponse<String> started = http.post("/admin/projections/rebuild", "");
      assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
      int building = json(started).path("generation").asInt();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
          .until(() -> generation(overview(), building).path("processed").asLong() > 0);
      JsonNode atCrash = generation(overview(), building);
      assertThat(atCrash.path("state").asText()).isEqualTo("BUILDING");
      assertThat(atCrash.path("lag").asLong()).isPositive();

      node.close();
      // a rebuild needs the projections only, and an instance without the command side starts sooner
      node = TestNodes.start(kafka, data, true, REBUILD_COMMIT_INTERVAL);
      http = new HttpClientSupport(node.httpUrl());

      JsonNode restarted = overview();
      assertThat(restarted.path("serving").asInt()).isEqualTo(serving);
      assertThat(generation(restarted, building).path("state").asText()).isEqualTo("BUILDING");
      assertThat(generation(restarted, building).path("processed").asLong())
          .isGreaterThanOrEqualTo(atCrash.path("processed").asLong());
      assertThat(views()).isEqualTo(before);
      await().atMost(Duration.ofSeconds(60)).until(() -> overview().path("serving").asInt() == building);
      assertThat(views()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void anAbandonedRebuildLeavesNoTraceAndTheServingGenerationServes() throws Exception {
      Map<String, JsonNode> before = views();
      int serving = overview().path("serving").asInt();
      HttpResponse<String> started = http.post("/admin/projections/rebuild", "");
      assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
      int building = json(started).path("generation").asInt();
      HttpResponse<String> again = http.post("/admin/projections/rebuild", "");
      assertProblem(again, 409, "rebuild-in-progress");
      assertThat(json(again).path("generation").asInt()).isEqualTo(building);
      await().atMost(Duration.ofSeconds(60))
          .until(() -> "RUNNING".equals(generation(overview(), building).path("streams").asText()));
      assertThat(topicsOf(building)).isNotEmpty();

      assertThat(Main.run("rebuild", "--abandon", "--url", node.httpUrl())).isZero();

      JsonNode abandoned = generation(overview(), building);
      assertThat(abandoned.path("state").asText()).isEqualTo("ABANDONED");
      assertThat(abandoned.path("cleanedUp").asBoolean()).isTrue();
      assertThat(topicsOf(building)).isEmpty();
      assertThat(groups()).doesNotContain(Generation.applicationId(building));
      assertThat(Files.exists(stateDir(building))).isFalse();
      assertThat(overview().path("serving").asInt()).isEqualTo(serving);
      assertThat(views()).isEqualTo(before);
      assertProblem(http.post("/admin/projections/rebuild/abandon", ""), 404, "not-found");
    }
  }

  /** Shadow replays of the recorded commands into prefixed topics, and their diff against production. */
  @Nested
  @Order(1)
  class ShadowReplay {

    @Test
    void aReplayOfTheSameCodeIsIdenticalAndLeavesProductionAlone() throws Exception {
      Map<String, Long> production = productionEnds();
      Cli replay = cli("replay", "--to-topic-prefix", "same.", "--data-dir", data.resolve("cli").toString());
      assertThat(replay.exit()).as(replay.err()).isZero();
      assertThat(replay.out()).contains("replayed").contains("diff --prefix same.").doesNotContain("Note:");
      assertThat(productionEnds()).isEqualTo(production);

      Cli diff = cli("diff", "--prefix", "same.");
      assertThat(diff.exit()).as(diff.out()).isZero();
      assertThat(diff.out())
          .contains("account aggregates: " + (ACCOUNTS + 1) + " compared, " + (ACCOUNTS + 1)
              + " identical, 0 different")
          .contains("transfer aggregates: 1 compared, 1 identical, 0 different")
          .contains("Identical.");
    }

    @Test
    void aReplayWithoutTheDedupeWindowShowsTheFirstDifferingVersion() {
      Cli replay = cli("replay", "--to-topic-prefix", "no-dedupe.", "--dedupe-window", "PT0S",
          "--data-dir", data.resolve("cli").toString());
      assertThat(replay.exit()).as(replay.err()).isZero();

      Cli diff = cli("diff", "--prefix", "no-dedupe.");
      assertThat(diff.exit()).as(diff.out()).isEqualTo(1);
      assertThat(diff.out())
          .contains("account aggregates: " + (ACCOUNTS + 1) + " compared, " + ACCOUNTS + " identical, 1 different")
          .contains(retried + ": first difference at version 3 (production has 2 events, shadow 3)")
          .contains("production: (none)")
          .contains("shadow:     MoneyDeposited")
          .contains("1 account snapshots differ: " + retried)
          .contains("1 different")
          .contains("Different.");
    }

    @Test
    void aDiffWithoutAReplayIsAUsageError() {
      Cli diff = cli("diff", "--prefix", "never-replayed.");
      assertThat(diff.exit()).isEqualTo(2);
      assertThat(diff.err()).contains("no shadow replay with prefix 'never-replayed.'");
    }
  }

  /** Every view the rebuild must reproduce: summaries, histories, owners' accounts, the transfer and the totals. */
  private static Map<String, JsonNode> views() {
    Map<String, JsonNode> views = new LinkedHashMap<>();
    for (String account : accounts) {
      views.put("/accounts/" + account, ok(http.get("/accounts/" + account)));
      views.put("/accounts/" + account + "/events", ok(http.get("/accounts/" + account + "/events?limit=1000")));
    }
    for (String owner : OWNERS) {
      views.put("/owners/" + owner + "/accounts", ok(http.get("/owners/" + owner + "/accounts")));
    }
    views.put("/transfers/" + transfer, ok(http.get("/transfers/" + transfer)));
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      String older = "/transfers/" + fixture.transferId();
      views.put(older, ok(http.get(older)));
      views.put(older + "/events", ok(http.get(older + "/events")));
    }
    ObjectNode stats = (ObjectNode) ok(http.get("/stats"));
    stats.remove("instances");
    views.put("/stats", stats);
    return views;
  }

  /** Transfer events as an older release wrote them: the wire-format fixtures of TransferRequested v1. */
  private static void olderEventVersions() {
    InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(TestNodes.REGISTRY_URL.substring("mock://".length()));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new HashMap<>(node.clientProperties()),
        Serdes.String().serializer(), Serdes.ByteArray().serializer())) {
      for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
        producer.send(new ProducerRecord<>(node.topics().transferEvents.name(), fixture.transferId(),
            fixture.bytesIn(registry)));
      }
    }
    // the worker debits the fixtures' source, which has no account, and fails the transfers, which the command side
    // never saw: both commands are answered, rejected, before the views are taken
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> http.get("/transfers/" + fixture.transferId()).statusCode() == 200);
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        HttpResponse<String> correlation = http.get("/correlations/" + fixture.correlationId());
        return correlation.statusCode() == 200
            && json(correlation).path("entries").findValuesAsText("kind").stream().filter("RESULT"::equals).count() == 2;
      });
    }
  }

  private static void deposits() {
    Map<String, Object> props = new HashMap<>(node.clientProperties());
    @SuppressWarnings("unchecked")
    Serializer<SpecificRecord> values = (Serializer<SpecificRecord>) (Serializer<?>)
        node.topics().accountCommands.valueSerde().serializer();
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(props, Serdes.String().serializer(), values)) {
      for (int i = 0; i < DEPOSITS; i++) {
        String account = accounts.get(i % ACCOUNTS);
        SpecificRecord deposit = CommandFactory.envelope(AccountType.TYPE, "DepositMoney",
            Map.of("amountMinor", 1L + i % 7, "reference", "bulk-" + i),
            CommandFactory.metadata(UUID.randomUUID().toString(), null, null, "test"));
        producer.send(new ProducerRecord<>(node.topics().accountCommands.name(), account, deposit));
        versions.merge(account, 1L, Long::sum);
      }
    }
  }

  private static Map<String, Long> productionEnds() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<?, ?> topic : node.topics().all()) {
        for (int p = 0; p < NodeSettings.DEFAULT_PARTITIONS; p++) {
          partitions.add(new TopicPartition(topic.name(), p));
        }
      }
      return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
          .all().get().entrySet().stream()
          .collect(Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().offset()));
    }
  }

  /** What a command line run printed, and its exit code. */
  private record Cli(int exit, String out, String err) {
  }

  private static Cli cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", kafka, "--schema-registry-url", TestNodes.REGISTRY_URL));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.run(all.toArray(String[]::new));
      return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode overview() {
    return ok(http.get("/admin/projections"));
  }

  private static JsonNode servingGeneration() {
    JsonNode overview = overview();
    return generation(overview, overview.path("serving").asInt());
  }

  private static JsonNode generation(JsonNode overview, int number) {
    for (JsonNode generation : overview.path("generations")) {
      if (generation.path("generation").asInt() == number) {
        return generation;
      }
    }
    throw new AssertionError("no generation " + number + " in " + overview);
  }

  private static List<String> topicsOf(int generation) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      return admin.listTopics().names().get().stream()
          .filter(topic -> Generation.ownerOf(topic).orElse(0) == generation).sorted().toList();
    }
  }

  private static List<String> groups() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      return admin.listGroups().all().get().stream().map(GroupListing::groupId).collect(Collectors.toList());
    }
  }

  private static Path stateDir(int generation) {
    return data.resolve("streams").resolve(Generation.applicationId(generation));
  }

  /**
   * The answer to a command sent with {@link #WAIT}: accepted at once, or, when a loaded machine answered 202 first,
   * accepted once its result is in, waited for at the Location the 202 named, as a client would.
   */
  private static JsonNode accepted(HttpResponse<String> response) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    String location = response.headers().firstValue("Location").orElse(null);
    while (location != null && (response.statusCode() == 202 || response.statusCode() == 404)
        && System.nanoTime() < deadline) {
      response = http.get(location + (location.contains("?") ? "&" : "?") + "wait=" + Params.MAX_WAIT_MS);
    }
    JsonNode answer = ok(response);
    assertThat(answer.path("status").asText()).as(response.body()).isEqualTo("ACCEPTED");
    return answer;
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  /** Reads the accounts in a loop and notes every answer that is not a 200 with the content seen before. */
  private static final class Poller {

    private final Map<String, JsonNode> expected;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread = new Thread(this::run, "rebuild-test-poller");

    Poller(Map<String, JsonNode> expected) {
      this.expected = expected;
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      stopped.set(true);
      thread.join();
    }

    private void run() {
      while (!stopped.get()) {
        String path = "/accounts/" + accounts.get(answered.get() % ACCOUNTS);
        HttpResponse<String> response = http.get(path);
        if (response.statusCode() != 200 || !json(response).equals(expected.get(path))) {
          failures.add(path + " -> " + response.statusCode() + " " + response.body());
        }
        answered.incrementAndGet();
      }
    }
  }
}
