package io.ledgerstream.streams.replay;

import io.ledgerstream.streams.ClaimStage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * From which offset on the production claimed the commands of each partition of its public command topics: the
 * first offset any claim verdict recorded on the internal command topics names. A shadow replay runs the commands
 * before it as the production ran them then, as they were read, and queues the later ones for their recorded
 * verdicts.
 */
final class ClaimedOffsets {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private ClaimedOffsets() {
  }

  static Map<TopicPartition, Long> read(Map<String, Object> clientProperties, List<String> internalTopics) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<TopicPartition, Long> first = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = internalTopics.stream()
          .flatMap(topic -> consumer.partitionsFor(topic, READ_TIMEOUT).stream()
              .map(info -> new TopicPartition(topic, info.partition())))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(partition -> consumer.position(partition, READ_TIMEOUT) < ends.get(partition))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the internal command topics were not read to their end within "
              + READ_TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (ClaimStage.isClaimedPublic(record.headers())) {
            TopicPartition claimed = ClaimStage.sourcePartitionOf(record.headers());
            first.merge(claimed, ClaimStage.sourceOffsetOf(record.headers()), Math::min);
          }
        }
      }
    }
    return first;
  }
}
