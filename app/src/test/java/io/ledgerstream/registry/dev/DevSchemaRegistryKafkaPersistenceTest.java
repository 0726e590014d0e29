package io.ledgerstream.registry.dev;

import static io.ledgerstream.registry.dev.DevSchemaRegistryHttpTest.ACCOUNT_V1;
import static io.ledgerstream.registry.dev.DevSchemaRegistryHttpTest.ACCOUNT_V2_WITH_DEFAULT;
import static io.ledgerstream.registry.dev.DevSchemaRegistryHttpTest.ACCOUNT_WITHOUT_DEFAULT;
import static io.ledgerstream.registry.dev.DevSchemaRegistryHttpTest.TRANSFER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka-backed store on a real broker: {@code KAFKA_BOOTSTRAP_SERVERS} if set, otherwise a
 * temporary broker this test starts (and can restart).
 */
class DevSchemaRegistryKafkaPersistenceTest {

  private static TemporaryKafkaForRegistryTest temporaryKafka;
  private static String bootstrapServers;

  @BeforeAll
  static void startKafka() throws Exception {
    bootstrapServers = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      temporaryKafka = TemporaryKafkaForRegistryTest.start();
      bootstrapServers = temporaryKafka.bootstrapServers();
    }
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (temporaryKafka != null) {
      temporaryKafka.close();
    }
  }

  @Test
  void keepsIdsVersionsAndConfigAcrossARegistryRestart() throws Exception {
    String topic = "_schemas-" + UUID.randomUUID();
    try (DevSchemaRegistry registry = startRegistry(topic)) {
      SchemaRegistryClient client = client(registry);
      assertThat(client.register("transfers-value", new AvroSchema(TRANSFER))).isEqualTo(1);
      assertThat(client.register("accounts-value", new AvroSchema(ACCOUNT_V1))).isEqualTo(2);
      assertThat(client.register("accounts-value", new AvroSchema(ACCOUNT_V2_WITH_DEFAULT))).isEqualTo(3);
      client.updateCompatibility("accounts-value", "FORWARD");
    }

    try (DevSchemaRegistry restarted = startRegistry(topic)) {
      SchemaRegistryClient client = client(restarted);
      assertThat(client.getSchemaById(2)).isEqualTo(new AvroSchema(ACCOUNT_V1));
      assertThat(client.getLatestSchemaMetadata("accounts-value").getId()).isEqualTo(3);
      assertThat(client.getAllVersions("accounts-value")).containsExactly(1, 2);
      assertThat(client.getCompatibility("accounts-value")).isEqualTo("FORWARD");
      assertThat(client.register("accounts-value", new AvroSchema(ACCOUNT_V1))).isEqualTo(2);
      assertThat(client.register("accounts-value", new AvroSchema(ACCOUNT_WITHOUT_DEFAULT))).isEqualTo(4);
    }
    assertTopicIsCompactedWithOnePartition(topic);
  }

  @Test
  void keepsIdsAcrossABrokerRestart() throws Exception {
    assumeTrue(temporaryKafka != null, "only with the broker this test started itself");
    String topic = "_schemas-" + UUID.randomUUID();
    try (DevSchemaRegistry registry = startRegistry(topic)) {
      client(registry).register("transfers-value", new AvroSchema(TRANSFER));
      client(registry).register("accounts-value", new AvroSchema(ACCOUNT_V1));
    }

    temporaryKafka.restart();

    try (DevSchemaRegistry restarted = startRegistry(topic)) {
      assertThat(client(restarted).getSchemaById(2)).isEqualTo(new AvroSchema(ACCOUNT_V1));
      assertThat(client(restarted).register("orders-value", new AvroSchema(ACCOUNT_V2_WITH_DEFAULT))).isEqualTo(3);
    }
  }

  @Test
  void aSecondRegistryOnTheTopicFencesTheFirstSoNoIdIsHandedOutTwice() throws Exception {
    String topic = "_schemas-" + UUID.randomUUID();
    try (DevSchemaRegistry first = startRegistry(topic)) {
      SchemaRegistryClient firstClient = client(first);
      assertThat(firstClient.register("transfers-value", new AvroSchema(TRANSFER))).isEqualTo(1);

      try (DevSchemaRegistry second = startRegistry(topic)) {
        SchemaRegistryClient secondClient = client(second);
        assertThat(secondClient.register("accounts-value", new AvroSchema(ACCOUNT_V1))).isEqualTo(2);

        assertThatThrownBy(() -> firstClient.register("orders-value", new AvroSchema(ACCOUNT_V2_WITH_DEFAULT)))
            .hasMessageContaining("Another development registry");
        assertThatThrownBy(() -> firstClient.updateCompatibility("accounts-value", "NONE"))
            .hasMessageContaining("Another development registry");
        assertThat(secondClient.register("orders-value", new AvroSchema(ACCOUNT_V2_WITH_DEFAULT))).isEqualTo(3);
      }
    }

    try (DevSchemaRegistry restarted = startRegistry(topic)) {
      SchemaRegistryClient client = client(restarted);
      assertThat(client.getSchemaById(1)).isEqualTo(new AvroSchema(TRANSFER));
      assertThat(client.getSchemaById(2)).isEqualTo(new AvroSchema(ACCOUNT_V1));
      assertThat(client.getSchemaById(3)).isEqualTo(new AvroSchema(ACCOUNT_V2_WITH_DEFAULT));
      // the fenced registry's level change never landed
      assertThatThrownBy(() -> client.getCompatibility("accounts-value")).hasMessageContaining("40408");
    }
  }

  @Test
  void aRegistryDecidesANewIdOnlyAfterReadingWhatAnotherWroteBeforeItsClaim() throws Exception {
    String topic = "_schemas-" + UUID.randomUUID();
    try (KafkaDevSchemaStore older = KafkaDevSchemaStore.open(
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, (short) 1);
         DevSchemaRegistry newer = startRegistry(topic)) {
      // the older store was fenced by the newer registry's claim: what it tries to write never lands
      assertThatThrownBy(() -> older.append(new DevStoreRecord.SchemaVersion("x-value", 1, 1, TRANSFER)))
          .isInstanceOf(DevSchemaStoreException.class).hasMessageContaining("Another development registry");
      assertThat(client(newer).register("accounts-value", new AvroSchema(ACCOUNT_V1))).isEqualTo(1);
      assertThat(client(newer).getAllSubjects()).containsExactly("accounts-value");
    }
  }

  private static DevSchemaRegistry startRegistry(String topic) {
    var store = KafkaDevSchemaStore.open(
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, (short) 1);
    return DevSchemaRegistry.start("localhost", 0, store);
  }

  private static SchemaRegistryClient client(DevSchemaRegistry registry) {
    return new CachedSchemaRegistryClient(registry.url(), 100);
  }

  private static void assertTopicIsCompactedWithOnePartition(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(1);
    }
  }
}
