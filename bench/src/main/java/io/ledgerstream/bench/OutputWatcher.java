package io.ledgerstream.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic as a client of the ledger would, read_committed, from its end at creation, and tells when a number of
 * records has become readable.
 */
final class OutputWatcher implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;

  OutputWatcher(Map<String, Object> clientProperties, String topic) {
    this.topic = topic;
    consumer = new KafkaConsumer<>(consumerConfig(clientProperties), new StringDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // resolve the positions now, so records written from here on are all seen
    partitions.forEach(consumer::position);
  }

  static Map<String, Object> consumerConfig(Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    return props;
  }

  /**
   * Polls until {@code expected} records whose key passes {@code keys} were read, counting each key once if
   * {@code distinct}.
   *
   * @return {@link System#nanoTime()} when the last of them was read
   * @throws IllegalStateException if they were not all readable within {@code timeout}
   */
  long awaitCount(long expected, Predicate<String> keys, boolean distinct, Duration timeout) {
    Set<String> seen = distinct ? new HashSet<>() : null;
    long count = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + count + " of " + expected + " records readable on " + topic
            + " after " + timeout.toSeconds() + " s");
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
        if (keys.test(record.key()) && (seen == null || seen.add(record.key()))) {
          count++;
        }
      }
    }
    return System.nanoTime();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
