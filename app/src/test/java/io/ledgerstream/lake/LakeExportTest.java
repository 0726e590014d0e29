package io.ledgerstream.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import io.ledgerstream.Ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferEventFixtures;
import io.ledgerstream.testing.KafkaClients;
import io.ledgerstream.testing.TargetDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The lake export on a real broker: every committed event lands in exactly one file, also across re-runs. */
class LakeExportTest {

  private static final Pattern PART = Pattern.compile("part-(\\d+)-(\\d+)\\.avro");
  // events one second apart from here fall on two dates
  private static final Instant BEFORE_MIDNIGHT = Instant.parse("2024-02-29T23:59:50Z");

  private final LakeKafka kafka = LakeKafka.get();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void exportsEveryCommittedEventOnceWithItsMetadataAsColumns() throws Exception {
    List<String> accountEvents = new ArrayList<>();
    for (int account = 0; account < 4; account++) {
      accountEvents.addAll(kafka.sendAccountEvents(account(account), 25, BEFORE_MIDNIGHT));
    }
    List<String> transferEvents =
        kafka.sendTransferRequests(List.of("t-" + run + "-1", "t-" + run + "-2"), BEFORE_MIDNIGHT);
    List<String> aborted = kafka.sendAbortedAccountEvents(account(9), 5, BEFORE_MIDNIGHT);
    Path lake = TargetDirs.fresh("lake-columns");

    ExportProgress done = exporter(lake, 7, ExportListener.NONE).exportUntilCaughtUp();

    LakeContents contents = LakeContents.read(lake);
    assertThat(contents.others()).as("temporary files").isEmpty();
    assertThat(contents.eventIds()).containsExactlyInAnyOrderElementsOf(kafka.allEventIds())
        .containsAll(accountEvents).containsAll(transferEvents).doesNotContainAnyElementsOf(aborted);
    assertThat(done.events()).isEqualTo(contents.rows().size());
    assertThat(done.files()).isEqualTo(contents.files().size());
    assertThat(contents.files()).anySatisfy(file -> assertThat(file.toString()).contains("/transfer/date=2024-02-29/"))
        .anySatisfy(file -> assertThat(file.toString()).contains("/account/date=2024-03-01/"));
    assertEachFileHoldsOnePartitionAndDateFromItsStartOffset(contents);

    Schema schema = contents.rows().get(0).fileSchema();
    assertThat(schema.getFields()).extracting(Schema.Field::name).contains("eventId", "commandId", "correlationId",
        "causationId", "issuedBy", "aggregateId", "aggregateVersion", "occurredAt", "eventType", "eventVersion",
        "payloadJson", "topic",
        "partition", "offset");
    assertThat(schema.getField("occurredAt").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
    GenericRecord deposit = row(contents, accountEvents.get(1));
    assertThat(deposit.get("eventType")).hasToString("MoneyDeposited");
    assertThat(deposit.get("aggregateId")).hasToString(account(0));
    assertThat(deposit.get("aggregateVersion")).isEqualTo(2L);
    assertThat(deposit.get("occurredAt")).isEqualTo(BEFORE_MIDNIGHT.plusSeconds(1).toEpochMilli());
    assertThat(deposit.get("correlationId")).hasToString("corr-" + account(0));
    assertThat(deposit.get("causationId")).hasToString(deposit.get("commandId").toString());
    assertThat(deposit.get("issuedBy")).hasToString(LakeKafka.ISSUED_BY);
    assertThat(deposit.get("topic")).hasToString(Topics.ACCOUNT_EVENTS);
    assertThat(deposit.get("schemaId")).isEqualTo(kafka.registry.latestVersion(Topics.ACCOUNT_EVENTS + "-value").id());
    JsonNode payload = new ObjectMapper().readTree(deposit.get("payloadJson").toString());
    assertThat(payload.get("amountMinor").asLong()).isEqualTo(200);
    assertThat(payload.get("reference").asText()).isEqualTo("ref-2");
    assertThat(deposit.get("eventVersion")).isEqualTo(1);
    GenericRecord request = row(contents, transferEvents.get(0));
    assertThat(request.get("eventType")).hasToString("TransferRequested");
    assertThat(request.get("eventVersion")).isEqualTo(2);
    JsonNode requestPayload = new ObjectMapper().readTree(request.get("payloadJson").toString());
    assertThat(requestPayload.path("amount").path("minor").asLong()).isEqualTo(500);
    assertThat(requestPayload.path("amount").path("currency").asText()).isEqualTo("EUR");
  }

  @Test
  void exportsEventsWrittenInAnOlderVersionInTheNewestShapeWithTheVersionTheyWereWrittenIn() throws Exception {
    Map<TransferEventFixtures, Integer> schemaIds = new LinkedHashMap<>();
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      byte[] bytes = fixture.bytesIn(kafka.registry);
      schemaIds.put(fixture, java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt());
      kafka.sendBytes(Topics.TRANSFER_EVENTS, fixture.transferId(), bytes);
    }
    Path lake = TargetDirs.fresh("lake-older-versions");

    exporter(lake, 100, ExportListener.NONE).exportUntilCaughtUp();

    LakeContents contents = LakeContents.read(lake);
    schemaIds.forEach((fixture, schemaId) -> {
      GenericRecord row = row(contents, fixture.eventId());
      assertThat(row.get("eventType")).hasToString("TransferRequested");
      assertThat(row.get("eventVersion")).as(fixture.name()).isEqualTo(1);
      assertThat(row.get("schemaId")).isEqualTo(schemaId);
      assertThat(row.get("aggregateId")).hasToString(fixture.transferId());
      assertThat(row.get("payloadJson")).hasToString("{\"from\":\"" + TransferEventFixtures.FROM + "\",\"to\":\""
          + TransferEventFixtures.TO + "\",\"amount\":{\"minor\":2500,\"currency\":\"EUR\"}}");
    });
  }

  @Test
  void aRerunExportsOnlyTheEventsThatArrivedSince() throws Exception {
    List<String> before = kafka.sendAccountEvents(account(0), 12, Instant.now());
    Path lake = TargetDirs.fresh("lake-rerun");
    exporter(lake, 5, ExportListener.NONE).exportUntilCaughtUp();

    List<String> since = kafka.sendAccountEvents(account(1), 8, Instant.now());
    ExportProgress rerun = exporter(lake, 5, ExportListener.NONE).exportUntilCaughtUp();

    assertThat(rerun.events()).isEqualTo(since.size());
    assertThat(LakeContents.read(lake).eventIds()).containsExactlyInAnyOrderElementsOf(kafka.allEventIds())
        .containsAll(before).containsAll(since);
  }

  @Test
  void aFileRenamedIntoPlaceButNotCommittedIsNotExportedAgain() throws Exception {
    kafka.sendAccountEvents(account(0), 30, Instant.now());
    Path lake = TargetDirs.fresh("lake-uncommitted");
    String group = "lake-uncommitted-" + run;
    List<Path> published = new ArrayList<>();
    ExportListener crashBeforeThirdCommit = new ExportListener() {
      @Override
      public void filePublished(Path file, int events) {
        published.add(file);
        if (published.size() == 3) {
          throw new IllegalStateException("crashed between the rename and the commit");
        }
      }
    };

    assertThatThrownBy(() -> exporter(lake, group, 4, crashBeforeThirdCommit).exportUntilCaughtUp())
        .hasMessageContaining("between the rename and the commit");

    Path uncommitted = published.get(2);
    TopicPartition partition = partitionOf(uncommitted);
    long startOffset = startOffsetOf(uncommitted);
    assertThat(committed(group, partition)).isLessThanOrEqualTo(startOffset);
    assertThat(new LakeLayout(lake).ends(aggregateTypeOf(uncommitted)).get(partition.partition()))
        .isGreaterThan(startOffset);

    exporter(lake, group, 4, ExportListener.NONE).exportUntilCaughtUp();

    LakeContents contents = LakeContents.read(lake);
    assertThat(contents.others()).as("temporary files").isEmpty();
    assertThat(contents.eventIds()).containsExactlyInAnyOrderElementsOf(kafka.allEventIds());
  }

  @Test
  void followingExportsNewEventsUntilStoppedAndKeepsOtherExportersOut() throws Exception {
    Path lake = TargetDirs.fresh("lake-follow");
    LakeExporter follower = new LakeExporter(kafka.clientProperties(), kafka.registry, Ledger.AGGREGATE_TYPES,
        new LakeSettings(lake, "lake-follow-" + run, 1000, LakeSettings.DEFAULT_ROLL_BYTES, Duration.ofMillis(300)),
        ExportListener.NONE);
    CompletableFuture<ExportProgress> following = CompletableFuture.supplyAsync(follower::follow);
    try {
      List<String> sent = kafka.sendAccountEvents(account(0), 6, Instant.now());
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> LakeContents.read(lake).eventIds().containsAll(sent));

      assertThatThrownBy(() -> exporter(lake, 5, ExportListener.NONE).exportUntilCaughtUp())
          .isInstanceOf(LakeExportException.class).hasMessageContaining("Another export");
    } finally {
      follower.stop();
    }
    ExportProgress done = following.get(30, TimeUnit.SECONDS);

    LakeContents contents = LakeContents.read(lake);
    assertThat(contents.eventIds()).containsExactlyInAnyOrderElementsOf(kafka.allEventIds());
    assertThat(done.events()).isEqualTo(contents.rows().size());
  }

  private static void assertEachFileHoldsOnePartitionAndDateFromItsStartOffset(LakeContents contents) {
    Map<Path, List<GenericRecord>> byFile = new LinkedHashMap<>();
    contents.rows().forEach(row -> byFile.computeIfAbsent(row.file(), file -> new ArrayList<>()).add(row.event()));
    assertThat(byFile.keySet()).containsExactlyInAnyOrderElementsOf(contents.files());
    byFile.forEach((file, rows) -> {
      assertThat(rows).as("rows of %s", file).hasSizeLessThanOrEqualTo(7);
      assertThat(rows.get(0).get("offset")).as("first offset of %s", file).isEqualTo(startOffsetOf(file));
      assertThat(rows).as("rows of %s", file).allSatisfy(row -> {
        assertThat(new TopicPartition(row.get("topic").toString(), (Integer) row.get("partition")))
            .isEqualTo(partitionOf(file));
        LocalDate date = LocalDate.ofInstant(Instant.ofEpochMilli((Long) row.get("occurredAt")), ZoneOffset.UTC);
        assertThat(file.getParent().getFileName()).hasToString("date=" + date);
      });
      List<Long> offsets = rows.stream().map(row -> (Long) row.get("offset")).toList();
      assertThat(offsets).as("offsets of %s", file).isSorted().doesNotHaveDuplicates();
    });
  }

  private LakeExporter exporter(Path lake, int rollRecords, ExportListener listener) {
    return exporter(lake, "lake-" + run, rollRecords, listener);
  }

  private LakeExporter exporter(Path lake, String group, int rollRecords, ExportListener listener) {
    LakeSettings settings = new LakeSettings(lake, group, rollRecords, LakeSettings.DEFAULT_ROLL_BYTES,
        LakeSettings.DEFAULT_ROLL_AGE);
    return new LakeExporter(kafka.clientProperties(), kafka.registry, Ledger.AGGREGATE_TYPES, settings, listener);
  }

  private String account(int number) {
    return "lake-" + run + "-" + number;
  }

  private long committed(String group, TopicPartition partition) throws Exception {
    try (Admin admin = KafkaClients.admin(kafka.bootstrapServers)) {
      OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
          .get(partition);
      return offset == null ? 0 : offset.offset();
    }
  }

  private static GenericRecord row(LakeContents contents, String eventId) {
    return contents.rows().stream().filter(row -> row.eventId().equals(eventId)).findFirst().orElseThrow().event();
  }

  private static String aggregateTypeOf(Path file) {
    return file.getParent().getParent().getFileName().toString();
  }

  private static TopicPartition partitionOf(Path file) {
    return new TopicPartition("ledger." + aggregateTypeOf(file) + ".events", Integer.parseInt(part(file).group(1)));
  }

  private static long startOffsetOf(Path file) {
    return Long.parseLong(part(file).group(2));
  }

  private static Matcher part(Path file) {
    Matcher matcher = PART.matcher(file.getFileName().toString());
    assertThat(matcher.matches()).as("lake file name %s", file).isTrue();
    return matcher;
  }
}
