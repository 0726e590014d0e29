package io.ledgerstream.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
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
