package io.ledgerstream.registry.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A {@link DevSchemaStore} on a compacted single-partition Kafka topic ({@code _schemas} by
 * default): appends wait for the broker's acknowledgement, {@link #load()} reads the topic from the
 * beginning to its end offset. One registry writes the topic at a time.
 */
public final class KafkaDevSchemaStore implements DevSchemaStore {

  public static final String DEFAULT_TOPIC = "_schemas";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> clientConfig;
  private final TopicPartition partition;
  private final DevStoreRecordCodec codec = new DevStoreRecordCodec();
  private final KafkaProducer<String, String> producer;

  private KafkaDevSchemaStore(Map<String, Object> clientConfig, String topic) {
    this.clientConfig = clientConfig;
    this.partition = new TopicPartition(topic, 0);
    Map<String, Object> producerConfig = new HashMap<>(clientConfig);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
  }

  /** The {@code _schemas} topic of a single-broker development cluster (replication factor 1). */
  public static KafkaDevSchemaStore open(String bootstrapServers) {
    return open(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), DEFAULT_TOPIC, (short) 1);
  }

  /**
   * {@code topic} of the cluster that {@code clientConfig} (bootstrap servers, security) reaches,
   * created compacted with one partition and {@code replicationFactor} if absent.
   */
  public static KafkaDevSchemaStore open(Map<String, Object> clientConfig, String topic, short replicationFactor) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "ledgerstream-dev-registry");
    createTopicIfAbsent(config, topic, replicationFactor);
    return new KafkaDevSchemaStore(Map.copyOf(config), topic);
  }

  @Override
  public List<DevStoreRecord> load() {
    Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      List<DevStoreRecord> records = new ArrayList<>();
      while (consumer.position(partition, TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new DevSchemaStoreException("Timed out reading " + partition + " up to offset " + end, null);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          codec.decode(record.key(), record.value()).ifPresent(records::add);
        }
      }
      return records;
    } catch (KafkaException e) {
      throw new DevSchemaStoreException("Cannot read " + partition.topic() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void append(DevStoreRecord record) {
    var message = new ProducerRecord<>(partition.topic(), partition.partition(), codec.key(record), codec.value(record));
    try {
      producer.send(message).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new DevSchemaStoreException("Cannot write to " + partition.topic() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException | KafkaException e) {
      throw new DevSchemaStoreException("Cannot write to " + partition.topic() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevSchemaStoreException("Interrupted writing to " + partition.topic(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  private static void createTopicIfAbsent(Map<String, Object> config, String topic, short replicationFactor) {
    NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try (Admin admin = Admin.create(config)) {
      admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new DevSchemaStoreException("Cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
      }
    } catch (TimeoutException | KafkaException e) {
      throw new DevSchemaStoreException("Cannot create topic " + topic + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevSchemaStoreException("Interrupted creating topic " + topic, e);
    }
  }
}
