package io.ledgerstream.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a whole topic with read_committed, as any downstream consumer would, keeping the records a test cares about. */
final class TopicReader {

  private TopicReader() {
  }

  /**
   * Polls the topic from the beginning until {@code enough} holds for the matching records or the timeout passes,
   * then returns the matching records in offset order per partition.
   */
  static <K, V> List<ConsumerRecord<K, V>> read(Map<String, Object> clientProperties, String topic,
                                               Deserializer<K> keys, Deserializer<V> values,
                                               Predicate<ConsumerRecord<K, V>> matching,
                                               Predicate<List<ConsumerRecord<K, V>>> enough, Duration timeout) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<K, V>> found = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !enough.test(found)) {
        for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (matching.test(record)) {
            found.add(record);
          }
        }
      }
      return found;
    }
  }
}
