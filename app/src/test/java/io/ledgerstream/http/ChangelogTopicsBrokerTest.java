package io.ledgerstream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.streams.StreamsSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command side's changelog topics as the real broker holds them: the claim queue's stores, whose entries are
 * deleted a few commits after they are written, roll a segment a minute so the log cleaner can drop their puts; the
 * other stores keep Kafka's defaults.
 */
class ChangelogTopicsBrokerTest {

  private static final String PREFIX = StreamsSettings.COMMAND_SIDE_APPLICATION_ID + "-";

  private static LedgerNode node;

  @BeforeAll
  static void startNode() {
    node = TestNodes.start("changelog-topics", 0);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theClaimQueuesChangelogsRollEveryMinuteAndStayCompacted() throws Exception {
    List<String> churning = List.of("account-claim-marks", "account-claimed-commands", "transfer-claim-marks",
        "transfer-claimed-commands");
    try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers()))) {
      for (String store : churning) {
        Config config = changelogConfig(admin, store);
        assertThat(config.get(TopicConfig.SEGMENT_MS_CONFIG).value()).as(store).isEqualTo("60000");
        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(store)
            .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThat(config.get(TopicConfig.DELETE_RETENTION_MS_CONFIG).isDefault())
            .as("%s keeps its tombstones as long as any changelog", store).isTrue();
      }
      Config aggregates = changelogConfig(admin, "account-aggregates");
      assertThat(aggregates.get(TopicConfig.SEGMENT_MS_CONFIG).isDefault()).isTrue();
    }
  }

  private static Config changelogConfig(Admin admin, String store) throws ExecutionException, InterruptedException {
    String topic = PREFIX + store + "-changelog";
    // Kafka Streams creates the changelogs when the command side first joins its group
    await().atMost(Duration.ofSeconds(60)).until(() -> admin.listTopics().names().get().contains(topic));
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(Set.of(resource)).all().get().get(resource);
  }
}
