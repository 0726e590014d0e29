package io.ledgerstream.streams.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Everything a topic holds now, read with read_committed from the first offset to the end each partition had. */
record TopicContents<V>(List<Entry<V>> entries, long unreadable) {

  /** One record whose value decoded. */
  record Entry<V>(String key, V value, long timestamp) {
  }

  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** Reads the whole topic; values that do not decode are counted, not returned. */
  static <V> TopicContents<V> read(Map<String, Object> clientProperties, String topic, Deserializer<V> values) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<Entry<V>> entries = new ArrayList<>();
    long unreadable = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() >= ends.get(new TopicPartition(topic, record.partition()))) {
            continue;
          }
          try {
            V value = record.value() == null ? null : values.deserialize(topic, record.headers(), record.value());
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            entries.add(new Entry<>(key, value, record.timestamp()));
          } catch (RuntimeException e) {
            unreadable++;
          }
        }
      }
    }
    return new TopicContents<>(entries, unreadable);
  }

  /** The last value per key, as compaction would leave it; a null value removes the key. */
  Map<String, V> latestByKey() {
    Map<String, V> latest = new HashMap<>();
    for (Entry<V> entry : entries) {
      if (entry.value() == null) {
        latest.remove(entry.key());
      } else {
        latest.put(entry.key(), entry.value());
      }
    }
    return latest;
  }
}
