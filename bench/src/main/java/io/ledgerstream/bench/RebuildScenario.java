package io.ledgerstream.bench;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountOpened;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.streams.StreamsSettings;
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

  /**
   * One rebuild over a log of at least {@code events} events.
   *
   * @param switchNanos the restart with the live settings once caught up, until RUNNING and still caught up
   * @param countNanos the stateful baseline over the same records, or 0 when not measured
   */
  record Measured(long events, long records, long rebuildNanos, long switchNanos, long rawNanos, long countNanos) {

    double eventsPerSecond(long nanos) {
      return events / (nanos / 1e9);
    }
  }

  static void run(BenchCluster cluster, BenchSettings settings, Report report) {
    report.section("Projection rebuild", String.format("every projection rebuilt from the logs (%,d events or more, "
        + "plus the commands and results the projections also read) under a fresh application id with the settings "
        + "of a catching-up generation (commit.interval.ms=%d, cached stores), against a raw read_committed consumer "
        + "and a minimal exactly-once count per key of the same records", settings.rebuildEvents(),
        StreamsSettings.CATCH_UP_COMMIT_INTERVAL.toMillis()));
    Measured run = measure(cluster, settings.rebuildEvents(), true);
    double rebuildSeconds = run.rebuildNanos() / 1e9;
    report.note(String.format("%,d events, %,d records in all", run.events(), run.records()));
    report.value("rebuild.projections_events_per_s", "projections rebuild", run.eventsPerSecond(run.rebuildNanos()),
        "events/s");
    report.value("rebuild.projections_seconds", "   time", rebuildSeconds, "s");
    report.value("rebuild.projections_records_per_s", "   input records", run.records() / rebuildSeconds,
        "records/s");
    report.value("rebuild.switch_seconds", "   restart with the live settings, to serving", run.switchNanos() / 1e9,
        "s");
    report.value("rebuild.raw_consumer_events_per_s", "raw consumer, same topics", run.eventsPerSecond(run.rawNanos()),
        "events/s");
    report.value("rebuild.raw_consumer_seconds", "   time", run.rawNanos() / 1e9, "s");
    report.value("rebuild.count_baseline_events_per_s", "exactly-once count per key, same records",
        run.eventsPerSecond(run.countNanos()), "events/s");
    report.value("rebuild.count_baseline_seconds", "   time", run.countNanos() / 1e9, "s");
    report.ratio("rebuild.ratio", "ratio rebuild / raw consumer (events/s)", (double) run.rawNanos() / run.rebuildNanos());
    report.ratio("rebuild.count_ratio", "ratio rebuild / count per key (events/s)",
        (double) run.countNanos() / run.rebuildNanos());
  }

  /**
   * Tops the event log up to {@code events} and rebuilds every projection from it, then restarts the rebuilt
   * generation with the live settings as the supervisor does before it serves; with {@code baselines} also times the
   * raw consumer and the count per key over the same records.
   */
  static Measured measure(BenchCluster cluster, long events, boolean baselines) {
    // nothing else runs meanwhile: the transfer worker on the command side would read the appended events too
    cluster.stopCommandSide();
    long existing = RawRead.read(cluster, EVENT_TOPICS).total();
    if (existing < events) {
      appendEvents(cluster, events - existing);
    }
    List<String> inputs = Projections.inputs(cluster);
    RawRead.Result raw = RawRead.read(cluster, inputs);
    long logged = raw.of(EVENT_TOPICS);

    String applicationId = "ledgerstream-bench-rebuild-" + System.currentTimeMillis();
    KafkaStreams rebuild = Projections.create(cluster, applicationId, null, true);
    long rebuildNanos;
    long switchNanos;
    try {
      long started = System.nanoTime();
      rebuild.start();
      DoubleConsumer bar = ProgressLine.onTerminal("rebuild", logged);
      Projections.awaitCaughtUp(cluster, applicationId, bar);
      rebuildNanos = System.nanoTime() - started;
      bar.accept(1);

      long switching = System.nanoTime();
      BenchCluster.stop(rebuild);
      rebuild = Projections.create(cluster, applicationId, null, false);
      rebuild.start();
      BenchCluster.awaitRunning(rebuild);
      Projections.awaitCaughtUp(cluster, applicationId, share -> { });
      switchNanos = System.nanoTime() - switching;
    } finally {
      BenchCluster.stop(rebuild);
      rebuild.cleanUp();
    }
    long countNanos = baselines ? CountBaseline.run(cluster, inputs) : 0;
    return new Measured(logged, raw.total(), rebuildNanos, switchNanos, raw.nanos(), countNanos);
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
