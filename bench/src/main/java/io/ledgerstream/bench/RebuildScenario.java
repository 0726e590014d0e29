package io.ledgerstream.bench;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountOpened;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.streams.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.DoubleConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Scenario 5: rebuilding every projection from the logs under a fresh application id, against a plain consumer
 * reading the same topics to their end in the same run.
 */
final class RebuildScenario {

  static final List<String> EVENT_TOPICS = List.of(Topics.ACCOUNT_EVENTS, Topics.TRANSFER_EVENTS);
  private static final int EVENTS_PER_ACCOUNT = 10;

  private RebuildScenario() {
  }

  static void run(BenchCluster cluster, BenchSettings settings, Report report) {
    report.section("Projection rebuild", String.format("every projection rebuilt from the logs (%,d events or more, "
        + "plus the commands and results the projections also read) under a fresh application id, against a raw "
        + "read_committed consumer of the same topics", settings.rebuildEvents()));
    // nothing else runs meanwhile: the transfer worker on the command side would read the appended events too
    cluster.stopCommandSide();
    long existing = RawRead.read(cluster, EVENT_TOPICS).total();
    if (existing < settings.rebuildEvents()) {
      appendEvents(cluster, settings.rebuildEvents() - existing);
    }
    RawRead.Result raw = RawRead.read(cluster, Projections.inputs(cluster));
    long events = raw.of(EVENT_TOPICS);

    String applicationId = "ledgerstream-bench-rebuild-" + System.currentTimeMillis();
    KafkaStreams rebuild = Projections.create(cluster, applicationId, null);
    long nanos;
    try {
      long started = System.nanoTime();
      rebuild.start();
      DoubleConsumer bar = ProgressLine.onTerminal("rebuild", events);
      Projections.awaitCaughtUp(cluster, applicationId, bar);
      nanos = System.nanoTime() - started;
      bar.accept(1);
    } finally {
      BenchCluster.stop(rebuild);
    }
    double rebuildSeconds = nanos / 1e9;
    double rawSeconds = raw.nanos() / 1e9;
    report.note(String.format("%,d events, %,d records in all", events, raw.total()));
    report.value("rebuild.projections_events_per_s", "projections rebuild", events / rebuildSeconds, "events/s");
    report.value("rebuild.projections_seconds", "   time", rebuildSeconds, "s");
    report.value("rebuild.projections_records_per_s", "   input records", raw.total() / rebuildSeconds, "records/s");
    report.value("rebuild.raw_consumer_events_per_s", "raw consumer, same topics", events / rawSeconds, "events/s");
    report.value("rebuild.raw_consumer_seconds", "   time", rawSeconds, "s");
    report.ratio("rebuild.ratio", "ratio rebuild / raw consumer (events/s)", rawSeconds / rebuildSeconds);
  }

  /**
   * Appends accounts of ten events each straight to the event log, as the command side would have written them, so
   * the log holds enough events without running every command through the ledger first.
   */
  private static void appendEvents(BenchCluster cluster, long count) {
    Serializer<AccountEvent> serializer = cluster.topics().accountEvents.valueSerde().serializer();
    String run = "rb" + System.currentTimeMillis();
    try (KafkaProducer<String, byte[]> producer = cluster.producer(20)) {
      for (long i = 0; i < count; i++) {
        String accountId = run + "-" + (i / EVENTS_PER_ACCOUNT);
        long version = i % EVENTS_PER_ACCOUNT + 1;
        Object payload = version == 1
            ? AccountOpened.newBuilder().setOwner("owner-" + i % 997).setCurrency(CommandMix.CURRENCY)
                .setOverdraftLimitMinor(0).build()
            : MoneyDeposited.newBuilder().setAmountMinor(100).setReference(null).setChannel("bench").build();
        String commandId = run + "-cmd-" + i;
        EventMetadata metadata = EventMetadata.newBuilder()
            .setEventId(UUID.nameUUIDFromBytes((accountId + "/" + version).getBytes(StandardCharsets.UTF_8)).toString())
            .setCommandId(commandId)
            .setCorrelationId(commandId)
            .setCausationId(commandId)
            .setAggregateId(accountId)
            .setAggregateVersion(version)
            .setOccurredAt(Instant.now())
            .build();
        byte[] value = serializer.serialize(Topics.ACCOUNT_EVENTS, new AccountEvent(metadata, payload));
        producer.send(new ProducerRecord<>(Topics.ACCOUNT_EVENTS, accountId, value));
      }
      producer.flush();
    }
  }
}
