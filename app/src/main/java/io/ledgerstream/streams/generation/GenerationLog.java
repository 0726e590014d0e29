package io.ledgerstream.streams.generation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.TopicPolicy;
import io.ledgerstream.streams.TopicSetup;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Which projections generation serves, and which is building, recorded in the compacted topic
 * {@value #TOPIC} as one JSON message under the key {@value #KEY}. A topic rather than a file in the data directory,
 * so that every instance of the application agrees on the generation and a restart with a fresh data directory
 * serves the same one; one message for the whole record, so a switch (one serves, the other retires) is atomic.
 * Not thread-safe: one thread reads and writes it.
 */
final class GenerationLog implements AutoCloseable {

  static final String TOPIC = "ledger.admin.projections";
  static final String KEY = "generations";
  static final Topic<String, String> DEFINITION = new Topic<>(TOPIC, Serdes.String(), Serdes.String(),
      TopicPolicy.COMPACT);

  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaConsumer<String, String> consumer;
  private final KafkaProducer<String, String> producer;
  private final TopicPartition partition = new TopicPartition(TOPIC, 0);
  private long lastWritten = -1;

  private GenerationLog(Map<String, Object> clientProperties) {
    Map<String, Object> consumerConfig = new HashMap<>(clientProperties);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
    Map<String, Object> producerConfig = new HashMap<>(clientProperties);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  /** Creates the topic when missing (one partition, compacted) and opens it. */
  static GenerationLog open(Admin admin, Map<String, Object> clientProperties, short replicationFactor) {
    TopicSetup.ensure(admin, List.of(DEFINITION), 1, replicationFactor);
    return new GenerationLog(clientProperties);
  }

  /** The latest record, read to the end the topic has now; empty when nothing was recorded since the last read. */
  Optional<Generations> readToEnd() {
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    Generations latest = null;
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (consumer.position(partition) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + TOPIC + " to its end within " + READ_TIMEOUT);
      }
      latest = poll(Duration.ofMillis(200)).orElse(latest);
    }
    return Optional.ofNullable(latest);
  }

  /**
   * The latest record written since the last read, if any (by this instance or another). Records older than this
   * instance's last write are skipped: that write superseded them, and adopting them would step back.
   */
  Optional<Generations> poll(Duration timeout) {
    Generations latest = null;
    for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
      if (KEY.equals(record.key()) && record.value() != null && record.offset() >= lastWritten) {
        latest = parse(record.value());
      }
    }
    return Optional.ofNullable(latest);
  }

  void write(Generations generations) {
    try {
      lastWritten = producer.send(new ProducerRecord<>(TOPIC, KEY, json(generations))).get().offset();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording the projections generations", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not record the projections generations: " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  static String json(Generations generations) {
    try {
      return JSON.writeValueAsString(generations);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the generations as JSON", e);
    }
  }

  static Generations parse(String json) {
    try {
      return JSON.readValue(json, Generations.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(TOPIC + " holds a record that is not a generations document: " + json, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    consumer.close();
  }
}
