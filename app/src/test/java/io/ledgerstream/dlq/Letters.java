package io.ledgerstream.dlq;

import io.ledgerstream.streams.PoisonRecordHandler;
import io.ledgerstream.streams.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Puts records on the real broker for dead-letter tests, and finds what came of them. */
public final class Letters {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Letters() {
  }

  /** Produces raw bytes to a topic, as a client that got the encoding wrong would; returns where they landed. */
  public static String produce(String bootstrapServers, String topic, String key, byte[] value, Map<String, String> headers)
      throws Exception {
    RecordHeaders recordHeaders = new RecordHeaders();
    headers.forEach((name, text) -> recordHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      var metadata = producer.send(new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), value,
          recordHeaders)).get();
      return metadata.partition() + "@" + metadata.offset();
    }
  }

  /**
   * Writes a dead letter straight to the dead-letter topic with the headers the command side gives one, as if a
   * record of {@code origin} had failed: for letters the command side would never write, such as one from the event
   * store.
   */
  public static LetterPosition deadLetter(String bootstrapServers, String origin, String key, String value)
      throws Exception {
    String at = produce(bootstrapServers, Topics.DLQ, key, value.getBytes(StandardCharsets.UTF_8), Map.of(
        PoisonRecordHandler.HEADER_TOPIC, origin,
        PoisonRecordHandler.HEADER_PARTITION, "0",
        PoisonRecordHandler.HEADER_OFFSET, "7",
        PoisonRecordHandler.HEADER_EXCEPTION, "org.apache.kafka.common.errors.SerializationException",
        PoisonRecordHandler.HEADER_MESSAGE, "made up by a test"));
    return LetterPosition.parse(at);
  }

  /** Waits for the dead letter with this key (and, if given, re-driven from this letter) and returns it. */
  public static DeadLetter awaitLetter(DeadLetters deadLetters, String key, String redrivenFrom)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<DeadLetter> found = deadLetters.list(null, DeadLetters.MAX_PAGE).letters().stream()
          .filter(letter -> letter.key() != null && key.equals(new String(letter.key(), StandardCharsets.UTF_8)))
          .filter(letter -> redrivenFrom == null ? letter.redrivenFrom().isEmpty()
              : letter.redrivenFrom().equals(Optional.of(redrivenFrom)))
          .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no dead letter with key " + key + " within " + TIMEOUT);
  }

  /** The committed record at a partition and offset of a topic. */
  public static ConsumerRecord<byte[], byte[]> recordAt(String bootstrapServers, String topic, int partition,
                                                         long offset) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() == offset) {
            return record;
          }
        }
      }
      throw new AssertionError("no committed record at " + topic + "/" + partition + "@" + offset);
    }
  }

  /** Every committed record of a topic whose key is this one. */
  public static List<ConsumerRecord<byte[], byte[]>> recordsWithKey(String bootstrapServers, String topic, String key) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
            found.add(record);
          }
        }
      }
      return found;
    }
  }

  public static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
