package io.ledgerstream.bench;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.streams.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Scenario 3: command-to-event latency at fixed rates below the measured maximum. Open loop: each command has an
 * intended send time on a fixed schedule, kept whatever the completions do, and its latency runs from that time
 * until its event is readable read_committed, so a stall delays every command behind it (no coordinated omission).
 */
final class LatencyScenario {

  static final double[] SHARES_OF_MAX = {0.25, 0.50, 0.75};
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static final long MAX_TRACKED_MICROS = TimeUnit.MINUTES.toMicros(5);

  private LatencyScenario() {
  }

  static void run(BenchCluster cluster, BenchSettings settings, Report report, double maxCommandsPerSecond) {
    report.section("Latency, command to event", String.format("open loop at 25%%, 50%% and 75%% of %,.0f commands/s "
        + "for %d s each; deposits over %,d accounts; commit.interval.ms=%s (results and events become readable "
        + "when the transaction commits); producer linger.ms=0", maxCommandsPerSecond,
        settings.latencyDuration().toSeconds(), settings.mixAccounts(), cluster.commitIntervalMs()));
    cluster.ensureMixAccounts(settings.mixAccounts());
    cluster.commandSide();
    int round = 0;
    for (double share : SHARES_OF_MAX) {
      double rate = Math.max(1, share * maxCommandsPerSecond);
      Histogram micros = measure(cluster, settings, "lat" + round++, rate);
      String key = "latency.p" + Math.round(share * 100);
      report.value(key + "_p50_ms", String.format("at %3.0f%% (%,.0f commands/s): p50", share * 100, rate),
          micros.getValueAtPercentile(50) / 1000.0, "ms");
      report.value(key + "_p99_ms", "                              p99", micros.getValueAtPercentile(99) / 1000.0,
          "ms");
      report.value(key + "_p999_ms", "                              p99.9",
          micros.getValueAtPercentile(99.9) / 1000.0, "ms");
    }
  }

  private static Histogram measure(BenchCluster cluster, BenchSettings settings, String run, double rate) {
    int count = (int) Math.max(1, Math.round(rate * settings.latencyDuration().toNanos() / 1e9));
    List<ProducerRecord<String, byte[]>> commands =
        CommandMix.encode(cluster.topics(), CommandMix.deposits(run, count, settings.mixAccounts()));
    long[] intended = new long[count];
    double periodNanos = 1e9 / rate;
    Histogram histogram = new Histogram(MAX_TRACKED_MICROS, 3);
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaConsumer<String, AccountEvent> events = eventsFromEnd(cluster);
         KafkaProducer<String, byte[]> producer = cluster.producer(0)) {
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      for (int i = 0; i < count; i++) {
        intended[i] = start + (long) (i * periodNanos);
      }
      Thread sender = new Thread(() -> {
        for (int i = 0; i < count && failure.get() == null; i++) {
          parkUntil(intended[i]);
          producer.send(commands.get(i), (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
        }
        producer.flush();
      }, "bench-latency-sender");
      sender.start();
      long deadline = intended[count - 1] + DRAIN.toNanos();
      int received = 0;
      while (received < count && System.nanoTime() < deadline && failure.get() == null) {
        for (ConsumerRecord<String, AccountEvent> record : events.poll(Duration.ofMillis(5))) {
          long now = System.nanoTime();
          int index = CommandMix.indexOf(run, record.value().getMetadata().getCommandId());
          if (index >= 0) {
            histogram.recordValue(Math.min(MAX_TRACKED_MICROS, Math.max(0, (now - intended[index]) / 1000)));
            received++;
          }
        }
      }
      sender.join();
      if (failure.get() != null) {
        throw new IllegalStateException("a latency command could not be sent: " + failure.get(), failure.get());
      }
      if (received < count) {
        throw new IllegalStateException("only " + received + " of " + count + " events readable " + DRAIN.toSeconds()
            + " s after the last send at " + Math.round(rate) + " commands/s");
      }
      return histogram;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static KafkaConsumer<String, AccountEvent> eventsFromEnd(BenchCluster cluster) {
    KafkaConsumer<String, AccountEvent> consumer = new KafkaConsumer<>(
        OutputWatcher.consumerConfig(cluster.clientProperties()), new StringDeserializer(),
        cluster.topics().accountEvents.valueSerde().deserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACCOUNT_EVENTS).stream()
        .map(info -> new TopicPartition(Topics.ACCOUNT_EVENTS, info.partition()))
        .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  private static void parkUntil(long nanoTime) {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
