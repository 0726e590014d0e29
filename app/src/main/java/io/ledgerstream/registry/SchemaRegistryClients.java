package io.ledgerstream.registry;

import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Creates the registry client a configuration names: in memory for {@code mock://} URLs, HTTP otherwise. */
public final class SchemaRegistryClients {

  private static final String MOCK_PREFIX = "mock://";

  private SchemaRegistryClients() {
  }

  /** Reads {@link SchemaRegistryConfig#URL} and the other keys of {@link SchemaRegistryConfig}. */
  public static SchemaRegistryClient create(Map<String, ?> configs) {
    String urls = SchemaRegistryConfig.string(configs, SchemaRegistryConfig.URL);
    if (urls == null) {
      throw new ConfigException(SchemaRegistryConfig.URL + " is required");
    }
    String[] list = Arrays.stream(urls.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toArray(String[]::new);
    boolean anyMock = Arrays.stream(list).anyMatch(u -> u.startsWith(MOCK_PREFIX));
    if (!anyMock) {
      return new HttpSchemaRegistryClient(configs);
    }
    if (list.length != 1) {
      throw new ConfigException(SchemaRegistryConfig.URL, urls, "a mock:// URL cannot be combined with other URLs");
    }
    return InMemorySchemaRegistry.scope(list[0].substring(MOCK_PREFIX.length()));
  }
}
