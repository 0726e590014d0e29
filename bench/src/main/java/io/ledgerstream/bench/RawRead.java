package io.ledgerstream.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads topics from the beginning to their current end with a plain read_committed consumer, decoding nothing. */
final class RawRead {

  /** Records read per topic, and how long it took. */
  record Result(Map<String, Long> records, long nanos) {
    long total() {
      return records.values().stream().mapToLong(Long::longValue).sum();
    }

    long of(Collection<String> topics) {
      return topics.stream().mapToLong(topic -> records.getOrDefault(topic, 0L)).sum();
    }
  }

  private RawRead() {
  }

  static Result read(BenchCluster cluster, Collection<String> topics) {
    Map<String, Long> counts = new HashMap<>();
    topics.forEach(topic -> counts.put(topic, 0L));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        OutputWatcher.consumerConfig(cluster.clientProperties()), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = topics.stream()
          .flatMap(topic -> consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition())))
          .toList();
      long started = System.nanoTime();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
      while (!ends.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          counts.merge(record.topic(), 1L, Long::sum);
        }
        ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
      }
      return new Result(counts, System.nanoTime() - started);
    }
  }
}
