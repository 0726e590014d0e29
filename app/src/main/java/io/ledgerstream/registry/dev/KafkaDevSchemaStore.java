package io.ledgerstream.registry.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A {@link DevSchemaStore} on a compacted single-partition Kafka topic ({@code _schemas} by default). One registry
 * writes the topic at a time, and Kafka enforces it: every store of a topic writes with the same transactional id,
 * so opening one fences the one before, whose next write fails instead of handing out an id the new one may also
 * hand out. Reads see committed records only, and {@link #readNew()} reads to the end before every new id.
 */
public final class KafkaDevSchemaStore implements DevSchemaStore {

  public static final String DEFAULT_TOPIC = "_schemas";
  /** The transactional id prefix of the topic's writer; the topic name follows it. */
  public static final String TRANSACTIONAL_ID_PREFIX = "ledgerstream-dev-registry-";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final TopicPartition partition;
  private final DevStoreRecordCodec codec = new DevStoreRecordCodec();
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private volatile boolean fenced;

  private KafkaDevSchemaStore(Map<String, Object> clientConfig, String topic) {
    this.partition = new TopicPartition(topic, 0);
    Map<String, Object> producerConfig = new HashMap<>(clientConfig);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID_PREFIX + topic);
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
    this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
    try {
      // the claim: from here on no earlier store of this topic can commit a record
      producer.initTransactions();
    } catch (KafkaException e) {
      close();
      throw new DevSchemaStoreException("Cannot claim " + topic + " for writing: " + e.getMessage(), e);
    }
    consumer.assign(List.of(partition));
  }

  /** The {@code _schemas} topic of a single-broker development cluster (replication factor 1). */
  public static KafkaDevSchemaStore open(String bootstrapServers) {
    return open(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), DEFAULT_TOPIC, (short) 1);
  }

  /**
   * {@code topic} of the cluster that {@code clientConfig} (bootstrap servers, security) reaches, created compacted
   * with one partition and {@code replicationFactor} if absent; any store of the topic opened before is fenced.
   */
  public static KafkaDevSchemaStore open(Map<String, Object> clientConfig, String topic, short replicationFactor) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "ledgerstream-dev-registry");
    createTopicIfAbsent(config, topic, replicationFactor);
    return new KafkaDevSchemaStore(Map.copyOf(config), topic);
  }

  @Override
  public synchronized List<DevStoreRecord> load() {
    consumer.seekToBeginning(List.of(partition));
    return readNew();
  }

  @Override
  public synchronized List<DevStoreRecord> readNew() {
    try {
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
  public synchronized void append(DevStoreRecord record) {
    if (fenced) {
      throw fencedError(null);
    }
    var message = new ProducerRecord<>(partition.topic(), partition.partition(), codec.key(record), codec.value(record));
    try {
      producer.beginTransaction();
      producer.send(message).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      producer.commitTransaction();
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      throw fencedError(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProducerFencedException || e.getCause() instanceof InvalidProducerEpochException) {
        throw fencedError(e.getCause());
      }
      abort();
      throw new DevSchemaStoreException("Cannot write to " + partition.topic() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException | KafkaException e) {
      abort();
      throw new DevSchemaStoreException("Cannot write to " + partition.topic() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
      throw new DevSchemaStoreException("Interrupted writing to " + partition.topic(), e);
    }
  }

  private DevSchemaStoreException fencedError(Throwable cause) {
    fenced = true;
    return new DevSchemaStoreException("Another development registry has taken over " + partition.topic()
        + "; this one no longer registers schemas. Use that one, or restart this one to take the topic back.", cause);
  }

  private void abort() {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      // the producer is unusable; the next append reports why
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    consumer.close(Duration.ofSeconds(5));
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
