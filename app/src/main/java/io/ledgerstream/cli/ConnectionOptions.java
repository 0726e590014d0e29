package io.ledgerstream.cli;

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

  /** Client properties for a running cluster: the {@code --config} ones and the bootstrap servers (localhost:9092). */
  Map<String, Object> kafkaProperties() {
    Map<String, Object> props = new HashMap<>(clientProperties());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers != null ? bootstrapServers : "localhost:9092");
    return props;
  }

  /** A client of the schema registry (http://localhost:8081 unless given). */
  SchemaRegistryClient registry() {
    Map<String, Object> config = new HashMap<>(clientProperties());
    config.put(SchemaRegistryConfig.URL, schemaRegistryUrl != null ? schemaRegistryUrl : "http://localhost:8081");
    return SchemaRegistryClients.create(config);
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
