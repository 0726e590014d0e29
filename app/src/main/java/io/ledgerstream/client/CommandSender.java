package io.ledgerstream.client;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.streams.AggregateTopics;
import io.ledgerstream.streams.ClaimStage;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Produces commands to their aggregate type's public command topic and, when asked, waits for their result on the
 * results topic.
 */
public final class CommandSender implements AutoCloseable {

  private final Map<String, Object> clientProperties;
  private final Topics topics;
  private final KafkaProducer<String, SpecificRecord> producer;

  public CommandSender(Map<String, ?> clientProperties, Topics topics) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.topics = topics;
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(props, Serdes.String().serializer(), new EnvelopeSerializer(topics));
  }

  /** Sends one command envelope keyed by its aggregate id and returns once the broker has it. */
  public RecordMetadata send(String aggregateType, String aggregateId, SpecificRecord envelope) {
    try {
      return producer.send(new ProducerRecord<>(commandTopic(aggregateType).name(), aggregateId, envelope)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not send the command: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Sends a command and waits up to {@code timeout} for its result; empty if none arrived in time. The result is the
   * one that names this very record as its source, so another command under the same id never answers it.
   */
  public Optional<CommandResult> sendAndAwait(String aggregateType, String aggregateId, SpecificRecord envelope,
                        String commandId, Duration timeout) {
    Topic<String, CommandResult> results = topics.commandResults;
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, CommandResult> consumer =
           new KafkaConsumer<>(props, Serdes.String().deserializer(), results.valueSerde().deserializer())) {
      int partitions = consumer.partitionsFor(results.name(), timeout).size();
      TopicPartition partition = new TopicPartition(results.name(), partitionOf(commandId, partitions));
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition);
      String source = source(send(aggregateType, aggregateId, envelope));
      Instant deadline = Instant.now().plus(timeout);
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, CommandResult> record : consumer.poll(Duration.ofMillis(100))) {
          CommandResult result = record.value();
          if (result != null && commandId.equals(result.getCommandId()) && source.equals(result.getSource())) {
            return Optional.of(result);
          }
        }
      }
      return Optional.empty();
    }
  }

  /** How a result names the command record it answers. */
  public static String source(RecordMetadata written) {
    return ClaimStage.position(written.topic(), written.partition(), written.offset());
  }

  private Topic<String, ? extends SpecificRecord> commandTopic(String aggregateType) {
    try {
      return topics.of(aggregateType).commands();
    } catch (IllegalArgumentException e) {
      throw new InvalidCommandException(e.getMessage());
    }
  }

  /** The partition the default partitioner gives a key. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  /** Encodes an envelope with the serde of the command topic it is sent to. */
  private record EnvelopeSerializer(Topics topics) implements Serializer<SpecificRecord> {
    @Override
    @SuppressWarnings("unchecked")
    public byte[] serialize(String topic, SpecificRecord data) {
      Topic<String, ?> target = topics.aggregates().stream().map(AggregateTopics::commands)
          .filter(commands -> commands.name().equals(topic)).findFirst()
          .orElseThrow(() -> new InvalidCommandException(topic + " is no public command topic"));
      // the envelope was made for this topic's aggregate type, so this topic's serde encodes it
      return ((Serializer<SpecificRecord>) target.valueSerde().serializer()).serialize(topic, data);
    }
  }
}
