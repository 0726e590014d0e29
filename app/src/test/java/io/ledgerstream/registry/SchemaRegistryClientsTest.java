package io.ledgerstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientsTest {

  @Test
  void picksTheInMemoryScopeForMockUrls() {
    try {
      SchemaRegistryClient client = SchemaRegistryClients.create(Map.of(SchemaRegistryConfig.URL, "mock://clients-test"));

      assertThat(client).isSameAs(InMemorySchemaRegistry.scope("clients-test"));
    } finally {
      InMemorySchemaRegistry.drop("clients-test");
    }
  }

  @Test
  void picksHttpForHttpUrls() {
    assertThat(SchemaRegistryClients.create(Map.of(SchemaRegistryConfig.URL, "http://localhost:8081,http://localhost:8082")))
        .isInstanceOf(HttpSchemaRegistryClient.class);
  }

  @Test
  void requiresAUrl() {
    assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining(SchemaRegistryConfig.URL);
  }

  @Test
  void rejectsAMockUrlMixedWithOthers() {
    assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of(SchemaRegistryConfig.URL, "mock://a,http://localhost:8081")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void rejectsUrlsThatAreNotHttp() {
    assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of(SchemaRegistryConfig.URL, "localhost:8081")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http://");
  }

  @Test
  void rejectsBasicAndBearerAuthTogether() {
    assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of(SchemaRegistryConfig.URL, "http://localhost:8081",
        SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
        SchemaRegistryConfig.BASIC_AUTH_USER_INFO, "a:b",
        SchemaRegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
        SchemaRegistryConfig.BEARER_AUTH_TOKEN, "t")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("Only one of");
  }

  @Test
  void requiresUserInfoWhenItIsTheSource() {
    assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of(SchemaRegistryConfig.URL, "http://localhost:8081",
        SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(SchemaRegistryConfig.BASIC_AUTH_USER_INFO);
  }

  @Test
  void rejectsUnsupportedCredentialSources() {
    assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of(SchemaRegistryConfig.URL, "http://localhost:8081",
        SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SASL_INHERIT");
  }
}
