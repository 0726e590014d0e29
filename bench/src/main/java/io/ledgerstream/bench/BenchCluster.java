package io.ledgerstream.bench;

import io.ledgerstream.broker.EmbeddedKafkaBroker;
import io.ledgerstream.node.SchemaSetup;
import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.registry.SchemaRegistryClients;
import io.ledgerstream.registry.SchemaRegistryConfig;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.TopicSetup;
import io.ledgerstream.streams.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The Kafka side of a bench run: the embedded broker (or an external, empty cluster), an in-memory schema
 * registry, the contract's topics, and the command side, started and stopped as the scenarios need.
 */
final class BenchCluster implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofMinutes(10);

  private final Path dataDir;
  private final EmbeddedKafkaBroker broker;
  private final Map<String, Object> clientProperties;
  private final RegistryRecordSerdes serdes;
  private final Topics topics;
  private final int partitions;
  private final Map<String, String> streamsOverrides;
  private KafkaStreams commandSide;
  private int openedMixAccounts;

  private BenchCluster(Path dataDir, EmbeddedKafkaBroker broker, String bootstrapServers, int partitions,
                       Map<String, String> streamsOverrides) {
    this.dataDir = dataDir;
    this.broker = broker;
    this.partitions = partitions;
    this.streamsOverrides = Map.copyOf(streamsOverrides);
    clientProperties = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Map<String, Object> registryConfig = new HashMap<>(clientProperties);
    registryConfig.put(SchemaRegistryConfig.URL, "mock://ledgerstream-bench-" + UUID.randomUUID());
    SchemaRegistryClient registry = SchemaRegistryClients.create(registryConfig);
    serdes = new RegistryRecordSerdes(registry, true);
    topics = new Topics(serdes);
  }

  /**
   * Starts the embedded broker under {@code dataDir} unless {@code bootstrapServers} names a cluster, then creates
   * the contract's topics.
   *
   * @throws IllegalStateException if the external cluster already holds ledger events, which this run's registry
   *     could not read
   */
  static BenchCluster start(String bootstrapServers, Path dataDir, int partitions) {
    return start(bootstrapServers, dataDir, partitions, Map.of());
  }

  /** @param streamsOverrides settings that replace the ledger's in the command side and its pass-through baseline */
  static BenchCluster start(String bootstrapServers, Path dataDir, int partitions,
                            Map<String, String> streamsOverrides) {
    EmbeddedKafkaBroker broker = null;
    if (bootstrapServers == null) {
      broker = new EmbeddedKafkaBroker(dataDir.resolve("kafka"), 0, 0).start();
      bootstrapServers = broker.bootstrapServers();
    }
    BenchCluster cluster = new BenchCluster(dataDir, broker, bootstrapServers, partitions, streamsOverrides);
    try {
      cluster.setUp();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void setUp() {
    try (Admin admin = admin()) {
      TopicSetup.ensure(admin, topics.all(), partitions, (short) (broker != null ? 1 : -1));
      if (broker == null && hasRecords(admin, Topics.ACCOUNT_EVENTS)) {
        throw new IllegalStateException("The cluster already holds " + Topics.ACCOUNT_EVENTS + " records; the "
            + "bench needs a cluster without ledger data (it writes the ledger topics and runs the ledger's "
            + "application ids)");
      }
    }
    SchemaSetup.register(serdes.client(), topics.avroTopics());
  }

  Map<String, Object> clientProperties() {
    return clientProperties;
  }

  Topics topics() {
    return topics;
  }

  RegistryRecordSerdes serdes() {
    return serdes;
  }

  int partitions() {
    return partitions;
  }

  Path stateDir() {
    return dataDir.resolve("streams");
  }

  /** The embedded broker's process id; empty with an external cluster. */
  OptionalLong brokerPid() {
    return broker == null ? OptionalLong.empty() : OptionalLong.of(broker.pid());
  }

  Admin admin() {
    return Admin.create(clientProperties);
  }

  /** An idempotent producer of pre-encoded values; {@code lingerMs} trades latency for batching. */
  KafkaProducer<String, byte[]> producer(int lingerMs) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Creates plain (delete-policy) topics with the run's partition count, keeping any that exist. */
  void createTopics(String... names) {
    List<NewTopic> newTopics = java.util.Arrays.stream(names)
        .map(name -> new NewTopic(name, partitions, (short) (broker != null ? 1 : -1)))
        .toList();
    try (Admin admin = admin()) {
      admin.createTopics(newTopics).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create " + List.of(names) + ": " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Exactly-once settings of the ledger's command side, with state under this run's data directory and any
   * {@code --streams-config} overrides.
   */
  Properties streamsConfig(String applicationId) {
    Properties config = StreamsSettings.exactlyOnce(applicationId, clientProperties, stateDir());
    config.putAll(streamsOverrides);
    return config;
  }

  /** The commit interval of the ledger's applications, which bounds how soon a result is readable. */
  Object commitIntervalMs() {
    return streamsConfig(StreamsSettings.COMMAND_SIDE_APPLICATION_ID).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
  }

  /** The ledger's command side, started on first use. */
  KafkaStreams commandSide() {
    if (commandSide == null) {
      commandSide = startStreams(commandTopology(), streamsConfig(StreamsSettings.COMMAND_SIDE_APPLICATION_ID));
    }
    return commandSide;
  }

  Topology commandTopology() {
    return CommandTopology.build(topics, serdes, CommandSideConfig.DEFAULTS);
  }

  void stopCommandSide() {
    if (commandSide != null) {
      stop(commandSide);
      commandSide = null;
    }
  }

  /** Replaces the command side by one already started (by the footprint scenario's restarts). */
  void adoptCommandSide(KafkaStreams started) {
    stopCommandSide();
    commandSide = started;
  }

  /** Opens the accounts the command mix goes to, once per run; later calls reuse them. */
  void ensureMixAccounts(int accounts) {
    if (openedMixAccounts >= accounts) {
      return;
    }
    commandSide();
    List<CommandMix.Command> opens = CommandMix.opens(openedMixAccounts, accounts);
    Pipeline.sendAndAwaitResults(this, CommandMix.encode(topics, opens), "opening " + opens.size() + " accounts");
    openedMixAccounts = accounts;
  }

  /** Starts an application and waits until it is RUNNING, which includes restoring its state. */
  static KafkaStreams startStreams(Topology topology, Properties config) {
    KafkaStreams streams = new KafkaStreams(topology, config);
    streams.start();
    awaitRunning(streams);
    return streams;
  }

  static void awaitRunning(KafkaStreams streams) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      KafkaStreams.State state = streams.state();
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
          || state == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("streams application stopped while starting: " + state);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("streams application not running after " + START_TIMEOUT);
      }
      Sleep.millis(10);
    }
  }

  /** Closes an application cleanly, leaving its group so the next instance takes over at once. */
  static void stop(KafkaStreams streams) {
    streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(60)));
  }

  private static boolean hasRecords(Admin admin, String topic) {
    try {
      int count = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < count; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().values().stream().anyMatch(info -> info.offset() > 0);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not read the offsets of " + topic + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    stopCommandSide();
    if (broker != null) {
      broker.close();
    }
  }
}
