package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerstream.Ledger;
import io.ledgerstream.lake.ExportListener;
import io.ledgerstream.lake.LakeExporter;
import io.ledgerstream.lake.LakeSettings;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.testing.TargetDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The proof by bytes, on the real broker: accounts opened with a holder, money moved between them and the lake
 * exported, and then neither the name nor the e-mail is in any record of any topic (events, state, commands, internal
 * commands, results, changelogs, repartitions, dead letters, keys), in any lake file, or in any log line. Forgetting
 * the owner then shows the holder erased on the read paths and in a new export, after a projections rebuild, and
 * after a restart of the node.
 */
class PersonalDataBytesTest {

  private static final String NAME = "Wilhelmina Xanthopoulou-Brackenridge";
  private static final String EMAIL = "w.xanthopoulou@holder.example.test";
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> capture;
  private static Level ledgerLevel;
  private static Path data;
  private static LedgerNode node;

  @BeforeAll
  static void start() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(logging);
    encoder.setPattern("%level %logger %mdc %msg %ex%n");
    encoder.start();
    capture = new OutputStreamAppender<>();
    capture.setContext(logging);
    capture.setEncoder(encoder);
    capture.setOutputStream(LOG);
    capture.start();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
    Logger ledger = logging.getLogger("io.ledgerstream");
    ledgerLevel = ledger.getLevel();
    ledger.setLevel(Level.DEBUG);
    data = TargetDirs.fresh("personal-data-bytes");
    node = TestNodes.start(RealKafka.bootstrapServers(), data, false, null);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(capture);
    logging.getLogger("io.ledgerstream").setLevel(ledgerLevel);
  }

  @Test
  void noTopicLakeFileOrLogLineHoldsTheHolderAndForgettingErasesItForGood() throws Exception {
    String owner = TestNodes.unique("owner");
    String from = TestNodes.unique("A");
    String to = TestNodes.unique("A");
    String transfer = TestNodes.unique("T");
    HttpClientSupport http = new HttpClientSupport(node.httpUrl());
    expect(200, http.post("/accounts/" + from + "/commands?wait=10000", open(owner)));
    expect(200, http.post("/accounts/" + to + "/commands?wait=10000", open(owner)));
    // a refused holder is not repeated in the answer or a log line either
    expect(400, http.post("/accounts/" + TestNodes.unique("A") + "/commands",
        "{\"type\":\"OpenAccount\",\"owner\":\"" + owner + "\",\"currency\":\"EUR\",\"holder\":{\"name\":\"" + NAME
            + "\",\"email\":\"not an address " + NAME + "\"}}"));
    expect(200, http.post("/accounts/" + from + "/commands?wait=10000", "{\"type\":\"DepositMoney\",\"amountMinor\":900}"));
    expect(200, http.post("/transfers/" + transfer + "/commands?wait=10000", "{\"type\":\"RequestTransfer\",\"from\":\""
        + from + "\",\"to\":\"" + to + "\",\"amountMinor\":400,\"currency\":\"EUR\"}"));
    await().atMost(WITHIN).until(() -> json(http.get("/transfers/" + transfer)).path("status").asText()
        .equals("COMPLETED"));
    assertThat(summary(http, to, 2).path("holder").path("name").asText()).isEqualTo(NAME);
    Path lake = export("before");

    List<String> found = new ArrayList<>();
    found.addAll(topicsHolding(from));
    found.addAll(lakeFilesHolding(lake));
    if (holds(LOG.toByteArray())) {
      found.add("the captured log");
    }
    assertThat(found).as("where the holder is in the clear").isEmpty();
    assertThat(lakeHolders(lake, from)).singleElement()
        .satisfies(holder -> assertThat(holder.path("holder").path("keyId").asText()).isNotBlank());

    HttpResponse<String> forgotten = http.post("/owners/" + owner + "/forget", "");
    expect(200, forgotten);
    assertThat(json(forgotten).path("keysDestroyed").asInt()).isEqualTo(1);
    assertErasedWithMoney(http, from, to);
    assertThat(lakeHolders(export("after"), from)).singleElement().satisfies(PersonalDataBytesTest::assertErased);

    int serving = json(http.get("/admin/projections")).path("serving").asInt();
    expect(202, http.post("/admin/projections/rebuild", ""));
    await().atMost(Duration.ofSeconds(120)).until(() -> json(http.get("/admin/projections")).path("serving").asInt()
        == serving + 1);
    assertErasedWithMoney(http, from, to);

    node.close();
    node = TestNodes.start(RealKafka.bootstrapServers(), data, false, null);
    assertErasedWithMoney(new HttpClientSupport(node.httpUrl()), from, to);
    assertThat(holds(LOG.toByteArray())).as("the captured log").isFalse();
  }

  private static void assertErasedWithMoney(HttpClientSupport http, String from, String to) {
    JsonNode source = summary(http, from, 4);
    assertErased(source);
    assertThat(source.path("balanceMinor").asLong()).isEqualTo(500);
    JsonNode destination = summary(http, to, 2);
    assertErased(destination);
    assertThat(destination.path("balanceMinor").asLong()).isEqualTo(400);
    JsonNode events = json(http.get("/accounts/" + from + "/events")).path("events");
    assertThat(events).hasSize(4);
    assertErased(events.get(0).path("payload"));
  }

  private static void assertErased(JsonNode holderOf) {
    assertThat(holderOf.has("holder")).as(holderOf.toString()).isTrue();
    assertThat(holderOf.path("holder").isNull()).as(holderOf.toString()).isTrue();
    assertThat(holderOf.path("erased").asBoolean()).as(holderOf.toString()).isTrue();
  }

  private static JsonNode summary(HttpClientSupport http, String account, long version) {
    HttpResponse<String> response = http.get("/accounts/" + account + "?minVersion=" + version + "&timeout=30000");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static String open(String owner) {
    return "{\"type\":\"OpenAccount\",\"owner\":\"" + owner + "\",\"currency\":\"EUR\",\"holder\":{\"name\":\"" + NAME
        + "\",\"email\":\"" + EMAIL + "\"}}";
  }

  /** Answers to commands and forgetting repeat no personal data. */
  private static void expect(int status, HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(holds(response.body().getBytes(StandardCharsets.UTF_8))).as(response.body()).isFalse();
  }

  private static Path export(String name) {
    Path lake = TargetDirs.fresh("personal-data-bytes-lake-" + name);
    new LakeExporter(node.clientProperties(), node.registry(), Ledger.AGGREGATE_TYPES,
        new LakeSettings(lake, TestNodes.unique("lake"), 1000, LakeSettings.DEFAULT_ROLL_BYTES, Duration.ofMinutes(5)),
        ExportListener.NONE).exportUntilCaughtUp();
    return lake;
  }

  /** Every topic of the broker, internal ones too, read whole, keys, values and headers, aborted records included. */
  private static List<String> topicsHolding(String witness) throws Exception {
    byte[] witnessBytes = witness.getBytes(StandardCharsets.UTF_8);
    List<String> witnessedIn = new ArrayList<>();
    Map<String, Object> config = new HashMap<>(node.clientProperties());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    List<String> found = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        node.bootstrapServers()));
         KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
             new ByteArrayDeserializer())) {
      var topics = admin.describeTopics(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get())
          .allTopicNames().get();
      List<TopicPartition> partitions = topics.values().stream().flatMap(topic -> topic.partitions().stream()
          .map(partition -> new TopicPartition(topic.name(), partition.partition()))).toList();
      assertThat(topics.keySet()).contains("ledger.account.events", "ledger.account.state", "ledger.account.commands",
          "ledger.account.internal-commands", "ledger.command-results", "ledger.dlq", "ledger.keys");
      assertThat(topics.keySet()).anyMatch(topic -> topic.endsWith("-changelog"))
          .anyMatch(topic -> topic.endsWith("-repartition"));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
        assertThat(System.nanoTime()).as("read every topic to its end").isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          boolean inHeaders = false;
          for (Header header : record.headers()) {
            inHeaders |= holds(header.value()) || holds(header.key().getBytes(StandardCharsets.UTF_8));
          }
          if (record.key() != null && indexOf(record.key(), witnessBytes) >= 0) {
            witnessedIn.add(record.topic());
          }
          if (holds(record.key()) || holds(record.value()) || inHeaders) {
            found.add(record.topic() + "/" + record.partition() + "@" + record.offset());
          }
        }
      }
    }
    // the scan read what the test wrote: the account's own records are among those it looked through
    assertThat(witnessedIn).contains("ledger.account.events", "ledger.account.state", "ledger.account.commands",
        "ledger.account.internal-commands");
    return found;
  }

  private static List<String> lakeFilesHolding(Path lake) throws IOException {
    try (Stream<Path> files = Files.walk(lake)) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      assertThat(all).isNotEmpty();
      return all.stream().filter(file -> holds(read(file))).map(Path::toString).toList();
    }
  }

  /** The holder columns of an account's opening in the lake's payloadJson. */
  private static List<JsonNode> lakeHolders(Path lake, String account) throws IOException {
    List<JsonNode> holders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(lake)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".avro")).toList()) {
        try (DataFileReader<GenericRecord> rows = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
          for (GenericRecord row : rows) {
            if (account.equals(String.valueOf(row.get("aggregateId")))
                && "AccountOpened".equals(String.valueOf(row.get("eventType")))) {
              holders.add(JSON.readTree(String.valueOf(row.get("payloadJson"))));
            }
          }
        }
      }
    }
    return holders;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the bytes hold the name or the e-mail, in UTF-8 or UTF-16 (as Java may write a string). */
  private static boolean holds(byte[] bytes) {
    if (bytes == null) {
      return false;
    }
    for (String secret : List.of(NAME, EMAIL, "Xanthopoulou", "w.xanthopoulou")) {
      for (byte[] needle : List.of(secret.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_16BE),
          secret.getBytes(StandardCharsets.UTF_16LE))) {
        if (indexOf(bytes, needle) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
