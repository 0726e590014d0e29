package io.ledgerstream.node;

import io.ledgerstream.http.ApiSecurity;
import io.ledgerstream.http.SubscriptionSettings;
import io.ledgerstream.streams.CommandSideConfig;
import java.nio.file.Path;
import java.util.Map;

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
 * @param security the HTTP API's address, authentication, CORS and TLS; null means
 *     {@link ApiSecurity#unauthenticatedLoopback()}
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
    ApiSecurity security) {

  public static final int DEFAULT_KAFKA_PORT = 9092;
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_REGISTRY_PORT = 8081;
  public static final int DEFAULT_PARTITIONS = 6;

  /**
   * @throws IllegalArgumentException for settings that cannot run, saying why: an external cluster without a schema
   *     registry, or an API without authentication where that is refused (see {@link ApiSecurity#check})
   */
  public NodeSettings {
    clientProperties = Map.copyOf(clientProperties);
    subscriptions = subscriptions != null ? subscriptions : SubscriptionSettings.DEFAULTS;
    security = security != null ? security : ApiSecurity.unauthenticatedLoopback();
    if (standbyReplicas < 0) {
      throw new IllegalArgumentException("standbyReplicas must be >= 0, got " + standbyReplicas);
    }
    if (bootstrapServers != null && schemaRegistryUrl == null) {
      // two development registries on one shared cluster would each think they own the schema ids
      throw new IllegalArgumentException("an external Kafka cluster (--bootstrap-servers) needs an external schema "
          + "registry: give --schema-registry-url. The development registry runs only with the embedded broker.");
    }
    security.check(bootstrapServers != null);
  }

  /** Settings with the default limits of the live event stream, on the loopback address without authentication. */
  public NodeSettings(String bootstrapServers, String schemaRegistryUrl, Boolean autoRegisterSchemas, Path dataDir,
                      int kafkaPort, int registryPort, int partitions, Short replicationFactor,
                      Map<String, String> clientProperties, CommandSideConfig commandSide, int httpPort,
                      String advertisedHttp, int standbyReplicas, boolean projectionsOnly,
                      SubscriptionSettings subscriptions) {
    this(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, dataDir, kafkaPort, registryPort, partitions,
        replicationFactor, clientProperties, commandSide, httpPort, advertisedHttp, standbyReplicas, projectionsOnly,
        subscriptions, null);
  }

  /** Settings with the default limits of the live event stream. */
  public NodeSettings(String bootstrapServers, String schemaRegistryUrl, Boolean autoRegisterSchemas, Path dataDir,
                      int kafkaPort, int registryPort, int partitions, Short replicationFactor,
                      Map<String, String> clientProperties, CommandSideConfig commandSide, int httpPort,
                      String advertisedHttp, int standbyReplicas, boolean projectionsOnly) {
    this(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, dataDir, kafkaPort, registryPort, partitions,
        replicationFactor, clientProperties, commandSide, httpPort, advertisedHttp, standbyReplicas, projectionsOnly,
        null, null);
  }

  /**
   * Settings for an embedding (tests, tools) rather than the CLI: the HTTP API on a free port advertised as
   * {@code localhost:<port>}, no standbys, both sides. The CLI's port is {@link #DEFAULT_HTTP_PORT}.
   */
  public NodeSettings(String bootstrapServers, String schemaRegistryUrl, Boolean autoRegisterSchemas, Path dataDir,
                      int kafkaPort, int registryPort, int partitions, Short replicationFactor,
                      Map<String, String> clientProperties, CommandSideConfig commandSide) {
    this(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, dataDir, kafkaPort, registryPort, partitions,
        replicationFactor, clientProperties, commandSide, 0, null, 0, false);
  }

  /** These settings with another HTTP port and advertised address (null: {@code localhost:<port>}). */
  public NodeSettings withHttp(int port, String advertised) {
    return new NodeSettings(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, dataDir, kafkaPort, registryPort,
        partitions, replicationFactor, clientProperties, commandSide, port, advertised, standbyReplicas,
        projectionsOnly, subscriptions, security);
  }

  /** These settings with other limits on the live event stream. */
  public NodeSettings withSubscriptions(SubscriptionSettings limits) {
    return new NodeSettings(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, dataDir, kafkaPort, registryPort,
        partitions, replicationFactor, clientProperties, commandSide, httpPort, advertisedHttp, standbyReplicas,
        projectionsOnly, limits, security);
  }

  /** These settings with another protection of the HTTP API. */
  public NodeSettings withSecurity(ApiSecurity protection) {
    return new NodeSettings(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, dataDir, kafkaPort, registryPort,
        partitions, replicationFactor, clientProperties, commandSide, httpPort, advertisedHttp, standbyReplicas,
        projectionsOnly, subscriptions, protection);
  }

  public boolean embeddedBroker() {
    return bootstrapServers == null;
  }

  public boolean embeddedRegistry() {
    return schemaRegistryUrl == null;
  }

  public boolean registersSchemas() {
    return autoRegisterSchemas != null ? autoRegisterSchemas : embeddedRegistry();
  }
}
