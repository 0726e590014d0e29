package io.ledgerstream.node;

import io.ledgerstream.Ledger;
import io.ledgerstream.broker.EmbeddedKafkaBroker;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.dlq.DeadLetters;
import io.ledgerstream.http.ApiBackend;
import io.ledgerstream.http.EventLog;
import io.ledgerstream.http.HttpServer;
import io.ledgerstream.privacy.KeyRing;
import io.ledgerstream.privacy.MasterKey;
import io.ledgerstream.privacy.PersonalData;
import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.registry.SchemaRegistryClients;
import io.ledgerstream.registry.SchemaRegistryConfig;
import io.ledgerstream.registry.dev.DevRegistryGuard;
import io.ledgerstream.registry.dev.DevSchemaRegistry;
import io.ledgerstream.registry.dev.KafkaDevSchemaStore;
import io.ledgerstream.security.AuthSettings;
import io.ledgerstream.security.TokenVerifier;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.StateMemory;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.TopicSetup;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.generation.GenerationSupervisor;
import io.ledgerstream.streams.generation.ProjectionGenerations;
import io.ledgerstream.streams.projection.ProjectionTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Ledgerstream process: the embedded broker and development registry when no external ones are given,
 * the topics and schemas of the contract, the command-side and projections streams applications, and the HTTP API.
 * Closing stops the HTTP API first, then the rest in reverse.
 */
public final class LedgerNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerNode.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final NodeSettings settings;
  private final List<AggregateType<?, ?, ?>> types;
  private String bootstrapServers;
  private String schemaRegistryUrl;
  private Map<String, Object> clientProperties;
  private SchemaRegistryClient registry;
  private Topics topics;
  private KafkaStreams commandSide;
  private GenerationSupervisor generations;
  private HttpServer http;

  private LedgerNode(NodeSettings settings, List<AggregateType<?, ?, ?>> types) {
    this.settings = settings;
    this.types = List.copyOf(types);
  }

  /** Starts the ledger's aggregate types as the settings ask; on failure, stops what had started and rethrows. */
  public static LedgerNode start(NodeSettings settings) {
    return start(settings, Ledger.AGGREGATE_TYPES);
  }

  /** Starts these aggregate types as the settings ask; on failure, stops what had started and rethrows. */
  public static LedgerNode start(NodeSettings settings, List<AggregateType<?, ?, ?>> types) {
    LedgerNode node = new LedgerNode(settings, types);
    try {
      node.startAll();
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void startAll() {
    settings.security().validate();
    bootstrapServers = settings.embeddedBroker() ? startBroker() : settings.bootstrapServers();
    clientProperties = new HashMap<>(settings.clientProperties());
    clientProperties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Map<String, Object> registryConfig = new HashMap<>(clientProperties);
    if (settings.embeddedRegistry()) {
      AuthSettings auth = settings.security().auth();
      RegistryWrites writes = auth == null ? null : new RegistryWrites(TokenVerifier.create(auth));
      schemaRegistryUrl = startRegistry(writes == null ? DevRegistryGuard.OPEN : writes);
      if (writes != null) {
        registryConfig.put(SchemaRegistryConfig.BEARER_AUTH_TOKEN, writes.nodeToken());
      }
    } else {
      schemaRegistryUrl = settings.schemaRegistryUrl();
    }
    registryConfig.put(SchemaRegistryConfig.URL, schemaRegistryUrl);
    registry = SchemaRegistryClients.create(registryConfig);
    RegistryRecordSerdes serdes = new RegistryRecordSerdes(registry, settings.registersSchemas());
    topics = new Topics(serdes, types);
    try (Admin admin = Admin.create(clientProperties)) {
      TopicSetup.ensure(admin, topics.all(), settings.partitions(), replicationFactor());
      openKeys(admin);
    }
    if (settings.registersSchemas()) {
      SchemaSetup.register(registry, topics.avroTopics());
    } else {
      SchemaSetup.check(registry, topics.avroTopics());
    }
    if (!settings.projectionsOnly()) {
      Properties commandSideConfig = streamsConfig(StreamsSettings.COMMAND_SIDE_APPLICATION_ID);
      commandSideConfig.putAll(settings.typeSettings());
      Topology commandTopology = CommandTopology.build(topics, serdes, settings.commandSide());
      // every schema the command side writes with is known before it processes a record, so a registry outage can
      // delay reading a command written with a schema new to this node, never fail a write half-way through one
      serdes.prepareStoreSchemas();
      commandSide = startStreams(commandTopology, commandSideConfig);
    }
    http = HttpServer.start(settings.httpPort(), settings.advertisedHttp(), settings.subscriptions(),
        settings.security(), types);
    started.push(http);
    String advertised = http.advertised();
    generations = GenerationSupervisor.start(new GenerationSupervisor.Settings(clientProperties, replicationFactor(),
        stateDir(), ProjectionTopology.inputTopics(topics),
        applicationId -> ProjectionTopology.repartitionTopics(topics, applicationId),
        (applicationId, mode) -> newStreams(ProjectionTopology.build(topics, serdes),
            projectionsConfig(applicationId, mode, advertised))));
    started.push(generations);
    log.info("Projections generation {} ({}) is serving", generations.serving().generation().number(),
        generations.serving().generation().applicationId());
    CommandSender commands = new CommandSender(clientProperties, topics);
    started.push(commands);
    http.attach(new ApiBackend(generations, commandSide, commands, new EventLog(clientProperties, topics),
        DeadLetters.open(clientProperties, replicationFactor())));
  }

  /** Personal data needs the owners' keys; without a master key this node neither takes nor shows any. */
  private void openKeys(Admin admin) {
    Optional<MasterKey> master = settings.masterKey();
    if (master.isEmpty()) {
      log.warn("No --master-key-file: this instance refuses personal data (an account's holder) and shows none");
      return;
    }
    KeyRing keys = KeyRing.open(admin, clientProperties, replicationFactor(), master.get());
    started.push(keys);
    PersonalData.register(keys);
    started.push(() -> PersonalData.unregister(keys));
    log.info("Personal data is sealed with the owners' keys in {}, wrapped by master key {}", KeyRing.TOPIC,
        master.get().id());
  }

  private Path stateDir() {
    return settings.dataDir().resolve("streams");
  }

  /** The command side keeps standbys too, so a failed instance's aggregates move to one that holds them already. */
  private Properties streamsConfig(String applicationId) {
    Properties config = StreamsSettings.exactlyOnce(applicationId, clientProperties, stateDir());
    config.put(StateMemory.BUDGET_CONFIG, settings.stateMemoryBytes());
    config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
    return config;
  }

  /** Each instance advertises its HTTP address so the others can forward queries for the keys it owns. */
  private Properties projectionsConfig(String applicationId, GenerationSupervisor.Mode mode, String advertisedHttp) {
    Properties config = mode == GenerationSupervisor.Mode.SERVE
        ? StreamsSettings.projections(applicationId, clientProperties, stateDir())
        : StreamsSettings.projectionsCatchingUp(applicationId, clientProperties, stateDir(),
            settings.catchUpCommitInterval());
    config.put(StateMemory.BUDGET_CONFIG, settings.stateMemoryBytes());
    config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHttp);
    config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
    return config;
  }

  private String startBroker() {
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings.dataDir().resolve("kafka"), settings.kafkaPort(),
        settings.kafkaPort() == 0 ? 0 : settings.kafkaPort() + 1)
        .withoutShutdownHook();
    started.push(broker);
    broker.start();
    log.info("Kafka broker (embedded, KRaft) listening on {}; data in {}", broker.bootstrapServers(), broker.dataDir());
    return broker.bootstrapServers();
  }

  private String startRegistry(DevRegistryGuard writes) {
    KafkaDevSchemaStore store = KafkaDevSchemaStore.open(new HashMap<>(clientProperties), KafkaDevSchemaStore.DEFAULT_TOPIC,
        replicationFactor());
    DevSchemaRegistry devRegistry = DevSchemaRegistry.start("localhost", settings.registryPort(), store, writes);
    started.push(devRegistry);
    log.info("Schema registry (development) listening on {}", devRegistry.url());
    return devRegistry.url();
  }

  private static KafkaStreams newStreams(Topology topology, Properties config) {
    String applicationId = config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    KafkaStreams streams = new KafkaStreams(topology, config);
    streams.setUncaughtExceptionHandler(e -> {
      log.error("Stream thread of {} died; replacing it", applicationId, e);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    return streams;
  }

  private KafkaStreams startStreams(Topology topology, Properties config) {
    String applicationId = config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    KafkaStreams streams = newStreams(topology, config);
    // leaving the group lets the instances that stay (or this one restarted) take over its partitions at once rather
    // than after the session timeout
    started.push(() -> streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30))));
    streams.start();
    awaitRunning(streams, applicationId);
    log.info("Streams application {} is running", applicationId);
    return streams;
  }

  private static void awaitRunning(KafkaStreams streams, String applicationId) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (!streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
        throw new IllegalStateException(applicationId + " stopped while starting: " + streams.state());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(applicationId + " was not running after " + STARTUP_TIMEOUT.toSeconds() + " s");
      }
      sleep(50);
    }
  }

  private short replicationFactor() {
    if (settings.replicationFactor() != null) {
      return settings.replicationFactor();
    }
    return (short) (settings.embeddedBroker() ? 1 : -1);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  /** Client properties that reach this node's Kafka cluster (bootstrap servers, SASL, TLS). */
  public Map<String, Object> clientProperties() {
    return Map.copyOf(clientProperties);
  }

  public SchemaRegistryClient registry() {
    return registry;
  }

  public Topics topics() {
    return topics;
  }

  /** The command side, or null when this node runs the projections only. */
  public KafkaStreams commandSide() {
    return commandSide;
  }

  /** The serving projections generation's streams application. */
  public KafkaStreams projections() {
    return generations.serving().streams();
  }

  /** The projections generations: the serving one, a rebuild beside it. */
  public ProjectionGenerations generations() {
    return generations;
  }

  /** The HTTP API's base URL as this node advertises it, e.g. {@code http://localhost:8080}. */
  public String httpUrl() {
    return http.url();
  }

  public int httpPort() {
    return http.port();
  }

  @Override
  public void close() {
    if (http != null) {
      // stop answering before the stores go away, so no request waits on a closing store
      http.close();
    }
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        log.warn("Error while stopping: {}", e.toString());
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    }
  }
}
