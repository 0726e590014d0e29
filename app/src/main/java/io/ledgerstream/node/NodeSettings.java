package io.ledgerstream.node;

import io.ledgerstream.broker.EmbeddedKafkaBroker;
import io.ledgerstream.http.ApiSecurity;
import io.ledgerstream.http.SubscriptionSettings;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.StateMemory;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.privacy.MasterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How one Ledgerstream process runs.
 *
 * @param bootstrapServers an external Kafka cluster, or null to start the embedded broker
 * @param schemaRegistryUrl an external schema registry, or null to serve the development registry
 * @param autoRegisterSchemas register the current schemas (true) or only check they are registered (false); null means
 *     "register in embedded mode, check against an external registry"
 * @param dataDir where the embedded broker and the local state stores keep their data
 * @param kafkaPort the embedded broker's port (its controller takes the next one)
 * @param registryPort the development registry's port
 * @param partitions partitions of topics this process creates
 * @param replicationFactor replication of topics this process creates; null means the broker's default
 * @param clientProperties any Kafka client property (SASL, TLS) and schema registry client setting
 * @param commandSide the command side's tunables
 * @param httpPort the HTTP API's port; 0 picks a free one
 * @param advertisedHttp the {@code host:port} other instances and clients reach this one's HTTP API at (the
 *     projections' {@code application.server}); null means {@code localhost:<httpPort>}
 * @param standbyReplicas standby copies of each projection store kept on other instances ({@code num.standby.replicas}):
 *     0 for a single instance; 1 with several lets a store fail over without a full restore and serve
 *     {@code allowStale} reads
 * @param projectionsOnly run the projections and the HTTP API but not the command side, to scale reads separately
* @param subscriptions limits of the live event stream; null means {@link SubscriptionSettings#DEFAULTS}
 * @param stateMemoryBytes the native memory all local state stores of this process share (block cache, memtables,
 *     index and filter blocks); see {@link StateMemory}
 * @param security the HTTP API's address, authentication, CORS and TLS; null means
 *     {@link ApiSecurity#unauthenticatedLoopback()}
 * @param typeSettings what the registered types' options set (see {@link io.ledgerstream.streams.CommandSideSettingsHook}),
 *     added to the command side's streams configuration; null means none, the hooks' defaults
 * @param catchUpCommitInterval how often a rebuilding projections generation commits; null means
 *     {@link StreamsSettings#CATCH_UP_COMMIT_INTERVAL}
 * @param masterKeyFile the master key that wraps the owners' data keys (see {@link MasterKey}); null means
 *     {@value MasterKey#DEFAULT_FILE} under the data directory, made on first start, with the embedded broker, and no
 *     personal data at all against an external cluster
 */
public record NodeSettings(
    String bootstrapServers,
    String schemaRegistryUrl,
    Boolean autoRegisterSchemas,
    Path dataDir,
    int kafkaPort,
    int registryPort,
    int partitions,
    Short replicationFactor,
    Map<String, String> clientProperties,
    CommandSideConfig commandSide,
    int httpPort,
    String advertisedHttp,
    int standbyReplicas,
    boolean projectionsOnly,
    SubscriptionSettings subscriptions,
    long stateMemoryBytes,
    ApiSecurity security,
    Map<String, Object> typeSettings,
    Duration catchUpCommitInterval,
    Path masterKeyFile) {

  public static final String DEFAULT_DATA_DIR = "data";
  public static final int DEFAULT_KAFKA_PORT = EmbeddedKafkaBroker.DEFAULT_PORT;
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_REGISTRY_PORT = 8081;
  public static final int DEFAULT_PARTITIONS = 6;

  /**
   * @throws IllegalArgumentException for settings that cannot run, saying why: an external cluster without a schema
   *     registry, or an API without authentication where that is refused (see {@link ApiSecurity#check})
   */
  public NodeSettings {
    clientProperties = Map.copyOf(clientProperties);
    commandSide = commandSide != null ? commandSide : CommandSideConfig.DEFAULTS;
    subscriptions = subscriptions != null ? subscriptions : SubscriptionSettings.DEFAULTS;
    security = security != null ? security : ApiSecurity.unauthenticatedLoopback();
    typeSettings = typeSettings != null ? Map.copyOf(typeSettings) : Map.of();
    catchUpCommitInterval = catchUpCommitInterval != null ? catchUpCommitInterval
        : StreamsSettings.CATCH_UP_COMMIT_INTERVAL;
    if (standbyReplicas < 0) {
      throw new IllegalArgumentException("standbyReplicas must be >= 0, got " + standbyReplicas);
    }
    if (stateMemoryBytes <= 0) {
      throw new IllegalArgumentException("stateMemoryBytes must be positive, got " + stateMemoryBytes);
    }
    if (bootstrapServers != null && schemaRegistryUrl == null) {
      // two development registries on one shared cluster would each think they own the schema ids
      throw new IllegalArgumentException("an external Kafka cluster (--bootstrap-servers) needs an external schema "
          + "registry: give --schema-registry-url. The development registry runs only with the embedded broker.");
    }
    security.check(bootstrapServers != null);
  }

  /** Settings built from the defaults: the embedded broker and registry, data in {@value #DEFAULT_DATA_DIR}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder()
        .bootstrapServers(bootstrapServers).schemaRegistryUrl(schemaRegistryUrl)
        .autoRegisterSchemas(autoRegisterSchemas).dataDir(dataDir).kafkaPort(kafkaPort).registryPort(registryPort)
        .partitions(partitions).replicationFactor(replicationFactor).clientProperties(clientProperties)
        .commandSide(commandSide).httpPort(httpPort).advertisedHttp(advertisedHttp).standbyReplicas(standbyReplicas)
        .projectionsOnly(projectionsOnly).subscriptions(subscriptions).stateMemoryBytes(stateMemoryBytes)
        .security(security).typeSettings(typeSettings).catchUpCommitInterval(catchUpCommitInterval)
        .masterKeyFile(masterKeyFile);
  }

  public boolean embeddedBroker() {
    return bootstrapServers == null;
  }

  public boolean embeddedRegistry() {
    return schemaRegistryUrl == null;
  }

  /** The master key to use: the given file's, the embedded default's (made when missing), or none. */
  public Optional<MasterKey> masterKey() {
    if (masterKeyFile != null) {
      return Optional.of(MasterKey.load(masterKeyFile));
    }
    return embeddedBroker() ? Optional.of(MasterKey.loadOrCreate(dataDir.resolve(MasterKey.DEFAULT_FILE)))
        : Optional.empty();
  }

  public boolean registersSchemas() {
    return autoRegisterSchemas != null ? autoRegisterSchemas : embeddedRegistry();
  }

  /** Builds {@link NodeSettings}; every setting starts at its default, documented on the record's components. */
  public static final class Builder {
    private String bootstrapServers;
    private String schemaRegistryUrl;
    private Boolean autoRegisterSchemas;
    private Path dataDir = Path.of(DEFAULT_DATA_DIR);
    private int kafkaPort = DEFAULT_KAFKA_PORT;
    private int registryPort = DEFAULT_REGISTRY_PORT;
    private int partitions = DEFAULT_PARTITIONS;
    private Short replicationFactor;
    private Map<String, String> clientProperties = Map.of();
    private CommandSideConfig commandSide = CommandSideConfig.DEFAULTS;
    private int httpPort = DEFAULT_HTTP_PORT;
    private String advertisedHttp;
    private int standbyReplicas;
    private boolean projectionsOnly;
    private SubscriptionSettings subscriptions = SubscriptionSettings.DEFAULTS;
    private long stateMemoryBytes = StateMemory.DEFAULT_BUDGET_BYTES;
    private ApiSecurity security;
    private Map<String, Object> typeSettings;
    private Duration catchUpCommitInterval;
    private Path masterKeyFile;

    private Builder() {
    }

    public Builder bootstrapServers(String value) {
      bootstrapServers = value;
      return this;
    }

    public Builder schemaRegistryUrl(String value) {
      schemaRegistryUrl = value;
      return this;
    }

    public Builder autoRegisterSchemas(Boolean value) {
      autoRegisterSchemas = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder kafkaPort(int value) {
      kafkaPort = value;
      return this;
    }

    public Builder registryPort(int value) {
      registryPort = value;
      return this;
    }

    public Builder partitions(int value) {
      partitions = value;
      return this;
    }

    public Builder replicationFactor(Short value) {
      replicationFactor = value;
      return this;
    }

    public Builder clientProperties(Map<String, String> value) {
      clientProperties = value;
      return this;
    }

    public Builder commandSide(CommandSideConfig value) {
      commandSide = value;
      return this;
    }

    /** 0 picks a free port. */
    public Builder httpPort(int value) {
      httpPort = value;
      return this;
    }

    public Builder advertisedHttp(String value) {
      advertisedHttp = value;
      return this;
    }

    public Builder standbyReplicas(int value) {
      standbyReplicas = value;
      return this;
    }

    public Builder projectionsOnly(boolean value) {
      projectionsOnly = value;
      return this;
    }

    public Builder subscriptions(SubscriptionSettings value) {
      subscriptions = value;
      return this;
    }

    public Builder stateMemoryBytes(long value) {
      stateMemoryBytes = value;
      return this;
    }

    public Builder security(ApiSecurity value) {
      security = value;
      return this;
    }

    public Builder typeSettings(Map<String, Object> value) {
      typeSettings = value;
      return this;
    }

    public Builder masterKeyFile(Path value) {
      masterKeyFile = value;
      return this;
    }

    public Builder catchUpCommitInterval(Duration value) {
      catchUpCommitInterval = value;
      return this;
    }

    /** @throws IllegalArgumentException for settings that cannot run, saying why */
    public NodeSettings build() {
      return new NodeSettings(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, dataDir, kafkaPort,
          registryPort, partitions, replicationFactor, clientProperties, commandSide, httpPort, advertisedHttp,
          standbyReplicas, projectionsOnly, subscriptions, stateMemoryBytes, security, typeSettings,
          catchUpCommitInterval, masterKeyFile);
    }
  }
}
