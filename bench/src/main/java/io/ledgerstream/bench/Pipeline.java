package io.ledgerstream.bench;

import io.ledgerstream.streams.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends pre-encoded records as fast as the producer takes them and times until their outputs are readable. */
final class Pipeline {

  static final int LINGER_MS = 5;
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  private Pipeline() {
  }

  /**
   * Sends the commands and waits until a result for every one of them is readable.
   *
   * @return nanoseconds from the first send until the last result was readable
   */
  static long sendAndAwaitResults(BenchCluster cluster, List<ProducerRecord<String, byte[]>> commands, String what) {
    Set<String> ids = commandIds(cluster, commands);
    return sendAndAwait(cluster, commands, Topics.COMMAND_RESULTS, ids::contains, true, what);
  }

  /**
   * Sends the records and waits until {@code expected} records whose key passes {@code outputKeys} are readable on
   * the output topic.
   *
   * @return nanoseconds from the first send until then
   */
  static long sendAndAwait(BenchCluster cluster, List<ProducerRecord<String, byte[]>> records, String outputTopic,
                           Predicate<String> outputKeys, boolean distinct, String what) {
    try (OutputWatcher watcher = new OutputWatcher(cluster.clientProperties(), outputTopic);
         KafkaProducer<String, byte[]> producer = cluster.producer(LINGER_MS)) {
      AtomicLong startedAt = new AtomicLong();
      AtomicReference<Exception> failure = new AtomicReference<>();
      Thread sender = new Thread(() -> {
        startedAt.set(System.nanoTime());
        for (ProducerRecord<String, byte[]> record : records) {
          producer.send(record, (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
        }
        producer.flush();
      }, "bench-sender");
      sender.start();
      long doneAt;
      try {
        doneAt = watcher.awaitCount(records.size(), outputKeys, distinct, TIMEOUT);
      } catch (IllegalStateException e) {
        throw new IllegalStateException(what + ": " + e.getMessage(), e);
      }
      join(sender);
      if (failure.get() != null) {
        throw new IllegalStateException(what + ": a send failed: " + failure.get(), failure.get());
      }
      return doneAt - startedAt.get();
    }
  }

  private static Set<String> commandIds(BenchCluster cluster, List<ProducerRecord<String, byte[]>> commands) {
    var deserializer = cluster.topics().accountCommands.valueSerde().deserializer();
    return commands.stream()
        .map(record -> deserializer.deserialize(record.topic(), record.value()).getMetadata().getCommandId())
        .collect(Collectors.toSet());
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
