package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ledgerstream.testing.RealKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Creating the contract's topics on a real broker. */
class TopicSetupTest {

  private static final TopicPolicy SEVEN_DAYS = TopicPolicy.delete(Duration.ofDays(7));

  private static Admin admin;

  @BeforeAll
  static void connect() {
    admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, RealKafka.bootstrapServers()));
  }

  @AfterAll
  static void disconnect() {
    admin.close();
  }

  @Test
  void createsMissingTopicsWithTheGivenPartitionsAndPolicies() throws Exception {
    Topic<byte[], byte[]> events = topic(RealKafka.uniqueTopic("setup-events"), TopicPolicy.RETAIN_FOREVER);
    Topic<byte[], byte[]> commands = topic(RealKafka.uniqueTopic("setup-commands"), SEVEN_DAYS);

    TopicSetup.ensure(admin, List.of(events, commands), 4, (short) 1);

    assertThat(partitions(events.name())).isEqualTo(4);
    assertThat(partitions(commands.name())).isEqualTo(4);
  }

  @Test
  void topicsAddedBesideExistingOnesTakeTheirPartitionCount() throws Exception {
    Topic<byte[], byte[]> existing = topic(RealKafka.uniqueTopic("setup-existing"), SEVEN_DAYS);
    admin.createTopics(List.of(new NewTopic(existing.name(), 3, (short) 1).configs(SEVEN_DAYS.configs()))).all().get();
    awaitListed(existing.name());
    Topic<byte[], byte[]> added = topic(RealKafka.uniqueTopic("setup-added"), SEVEN_DAYS);

    TopicSetup.ensure(admin, List.of(existing, added), 6, (short) 1);

    assertThat(partitions(added.name())).isEqualTo(3);
  }

  @Test
  void refusesAnExistingTopicWithTheWrongCleanupPolicy() throws Exception {
    Topic<byte[], byte[]> compacted = topic(RealKafka.uniqueTopic("setup-compacted"), TopicPolicy.COMPACT);
    admin.createTopics(List.of(new NewTopic(compacted.name(), 1, (short) 1).configs(SEVEN_DAYS.configs()))).all().get();
    awaitListed(compacted.name());

    assertThatThrownBy(() -> TopicSetup.ensure(admin, List.of(compacted), 1, (short) 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(compacted.name());
  }

  @Test
  void commandTopicsAreCreatedStampedByTheBrokerAndOlderOnesAreSwitchedToIt() throws Exception {
    TopicPolicy stamped = SEVEN_DAYS.stampedByBroker();
    Topic<byte[], byte[]> created = topic(RealKafka.uniqueTopic("setup-stamped"), stamped);
    Topic<byte[], byte[]> older = topic(RealKafka.uniqueTopic("setup-producer-time"), stamped);
    admin.createTopics(List.of(new NewTopic(older.name(), 1, (short) 1).configs(SEVEN_DAYS.configs()))).all().get();
    awaitListed(older.name());
    assertThat(timestampType(older.name())).isEqualTo("CreateTime");

    TopicSetup.ensure(admin, List.of(created, older), 1, (short) 1);

    assertThat(timestampType(created.name())).isEqualTo("LogAppendTime");
    assertThat(timestampType(older.name())).isEqualTo("LogAppendTime");
  }

  private static String timestampType(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource)
        .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value();
  }

  /** A topic just created is listed by the broker a moment later; the setup is meant to find it existing. */
  private static void awaitListed(String topic) {
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get().contains(topic));
  }

  private static Topic<byte[], byte[]> topic(String name, TopicPolicy policy) {
    return new Topic<>(name, Serdes.ByteArray(), Serdes.ByteArray(), policy);
  }

  private static int partitions(String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
  }
}
