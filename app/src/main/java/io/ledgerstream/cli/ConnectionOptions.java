package io.ledgerstream.cli;

import io.ledgerstream.node.NodeSettings;
import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.registry.SchemaRegistryClients;
import io.ledgerstream.registry.SchemaRegistryConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Where Kafka and the schema registry are, and any client property to reach them. */
final class ConnectionOptions {

  /** Where the embedded default listens; every command that talks to a cluster falls back to it. */
  static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:" + NodeSettings.DEFAULT_KAFKA_PORT;
  static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://localhost:" + NodeSettings.DEFAULT_REGISTRY_PORT;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
      description = "Kafka cluster to use. serve: without it, starts the embedded broker.")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Confluent-compatible schema registry. serve: without it, serves the development registry.")
  String schemaRegistryUrl;

  @Option(names = {"--config", "--command-config"}, paramLabel = "FILE",
      description = "Properties file with any Kafka client property (SASL, TLS) and schema registry client settings "
          + "(basic.auth.user.info, bearer.auth.token, ...).")
  Path config;

  /** Client properties for a running cluster: the {@code --config} ones and the bootstrap servers. */
  Map<String, Object> kafkaProperties() {
    Map<String, Object> props = new HashMap<>(clientProperties());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers != null ? bootstrapServers : DEFAULT_BOOTSTRAP_SERVERS);
    return props;
  }

  /** The schema registry client's settings: the {@code --config} ones and the registry's URL. */
  Map<String, Object> registryConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties());
    config.put(SchemaRegistryConfig.URL, schemaRegistryUrl != null ? schemaRegistryUrl : DEFAULT_SCHEMA_REGISTRY_URL);
    return config;
  }

  /** A client of the schema registry. */
  SchemaRegistryClient registry() {
    return SchemaRegistryClients.create(registryConfig());
  }

  /** The properties of the {@code --config} file, or none. */
  Map<String, String> clientProperties() {
    Map<String, String> properties = new HashMap<>();
    if (config == null) {
      return properties;
    }
    Properties loaded = new Properties();
    try (Reader reader = Files.newBufferedReader(config)) {
      loaded.load(reader);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read --config " + config + ": " + e.getMessage());
    }
    loaded.stringPropertyNames().forEach(name -> properties.put(name, loaded.getProperty(name)));
    return properties;
  }
}
