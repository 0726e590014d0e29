package io.ledgerstream.node;

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
    CommandSideConfig commandSide) {

  public static final int DEFAULT_KAFKA_PORT = 9092;
  public static final int DEFAULT_REGISTRY_PORT = 8081;
  public static final int DEFAULT_PARTITIONS = 6;

  public NodeSettings {
    clientProperties = Map.copyOf(clientProperties);
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
