package io.ledgerstream.lake;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountOpened;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.Money;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.broker.EmbeddedKafkaBroker;
import io.ledgerstream.node.SchemaSetup;
import io.ledgerstream.registry.HttpSchemaRegistryClient;
import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.registry.dev.DevSchemaRegistry;
import io.ledgerstream.registry.dev.InMemoryDevSchemaStore;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.TopicSetup;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.KafkaClients;
import io.ledgerstream.testing.TargetDirs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A broker and registry of the lake tests' own, started once per JVM, so the event topics hold only events these tests
 * wrote (with schema ids this registry knows), written the way the command side writes them: in transactions.
 */
final class LakeKafka {

  static final int PARTITIONS = 3;
  /** The {@code issuedBy} of every event this sends. */
  static final String ISSUED_BY = "lake-teller";
  private static final int EVENTS_PER_TRANSACTION = 10;

  private static LakeKafka instance;

  final String bootstrapServers;
  final String registryUrl;
  final SchemaRegistryClient registry;
  final Topics topics;

  private LakeKafka(EmbeddedKafkaBroker broker, DevSchemaRegistry devRegistry) {
    this.bootstrapServers = broker.bootstrapServers();
    this.registryUrl = devRegistry.url();
    this.registry = HttpSchemaRegistryClient.forUrl(registryUrl);
    this.topics = new Topics(new RegistryRecordSerdes(registry, false));
    try (Admin admin = KafkaClients.admin(bootstrapServers)) {
      TopicSetup.ensure(admin, topics.all(), PARTITIONS, (short) 1);
    }
    SchemaSetup.register(registry, topics.avroTopics());
  }

  static synchronized LakeKafka get() {
    if (instance == null) {
      // the broker stops with this JVM through its own shutdown hook
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(TargetDirs.fresh("lake-kafka"), 0, 0).start();
      instance = new LakeKafka(broker, DevSchemaRegistry.start("localhost", 0, new InMemoryDevSchemaStore()));
    }
    return instance;
  }

  Map<String, Object> clientProperties() {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
  }

  /** Writes an AccountOpened and then deposits for the account, committed, and returns their event ids in order. */
  List<String> sendAccountEvents(String accountId, int count, Instant firstOccurredAt) {
    List<AccountEvent> events = new ArrayList<>();
    for (int version = 1; version <= count; version++) {
      Object payload = version == 1 ? new AccountOpened("owner-" + accountId, "EUR", 0L, null)
          : new MoneyDeposited(100L * version, "ref-" + version, null);
      events.add(new AccountEvent(metadata(accountId, version, firstOccurredAt.plusSeconds(version - 1)), payload));
    }
    send(records(Topics.ACCOUNT_EVENTS, accountId, events), topics.accountEvents.valueSerde().serializer(), true);
    return events.stream().map(event -> event.getMetadata().getEventId()).toList();
  }

  /** Writes deposits for the account in a transaction that is aborted, so no read_committed reader sees them. */
  List<String> sendAbortedAccountEvents(String accountId, int count, Instant occurredAt) {
    List<AccountEvent> events = new ArrayList<>();
    for (int version = 1; version <= count; version++) {
      events.add(new AccountEvent(metadata(accountId, version, occurredAt), new MoneyDeposited(1L, null, null)));
    }
    send(records(Topics.ACCOUNT_EVENTS, accountId, events), topics.accountEvents.valueSerde().serializer(), false);
    return events.stream().map(event -> event.getMetadata().getEventId()).toList();
  }

  /** Writes one TransferRequested per transfer id, committed, and returns their event ids. */
  List<String> sendTransferRequests(List<String> transferIds, Instant occurredAt) {
    List<ProducerRecord<String, TransferEvent>> records = new ArrayList<>();
    for (String transferId : transferIds) {
      TransferEvent event = new TransferEvent(metadata(transferId, 1, occurredAt),
          new io.ledgerstream.avro.v2.TransferRequested("from-" + transferId, "to-" + transferId,
              new Money(500L, "EUR")));
      records.add(new ProducerRecord<>(Topics.TRANSFER_EVENTS, transferId, event));
    }
    send(records, topics.transferEvents.valueSerde().serializer(), true);
    return records.stream().map(record -> record.value().getMetadata().getEventId()).toList();
  }

  /** Writes records already in the Confluent wire format (fixtures of older versions, say), committed. */
  void sendBytes(String topic, String key, byte[] value) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lake-test-" + UUID.randomUUID());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
        new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, key, value));
      producer.commitTransaction();
    }
  }

  /** The id of every committed event on both event topics, read with read_committed like any downstream reader. */
  List<String> allEventIds() {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Deserializer<AccountEvent> accountEvents = topics.accountEvents.valueSerde().deserializer();
    Deserializer<TransferEvent> transferEvents = topics.transferEvents.valueSerde().deserializer();
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.ACCOUNT_EVENTS, Topics.TRANSFER_EVENTS)) {
        consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("event topics not read to their end in 30 s");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          ids.add(record.topic().equals(Topics.ACCOUNT_EVENTS)
              ? accountEvents.deserialize(record.topic(), record.value()).getMetadata().getEventId()
              : transferEvents.deserialize(record.topic(), record.value()).getMetadata().getEventId());
        }
      }
    }
    return ids;
  }

  private static EventMetadata metadata(String aggregateId, long version, Instant occurredAt) {
    String commandId = UUID.randomUUID().toString();
    return new EventMetadata(UUID.randomUUID().toString(), commandId, "corr-" + aggregateId, commandId, aggregateId,
        version, occurredAt, ISSUED_BY);
  }

  private static <V> List<ProducerRecord<String, V>> records(String topic, String key, List<V> values) {
    return values.stream().map(value -> new ProducerRecord<>(topic, key, value)).toList();
  }

  private <V extends SpecificRecord> void send(List<ProducerRecord<String, V>> records, Serializer<V> serializer,
                                               boolean commit) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lake-test-" + UUID.randomUUID());
    try (KafkaProducer<String, V> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
      producer.initTransactions();
      for (int from = 0; from < records.size(); from += EVENTS_PER_TRANSACTION) {
        producer.beginTransaction();
        records.subList(from, Math.min(records.size(), from + EVENTS_PER_TRANSACTION)).forEach(producer::send);
        if (commit) {
          producer.commitTransaction();
        } else {
          producer.flush();
          producer.abortTransaction();
        }
      }
    }
  }
}
