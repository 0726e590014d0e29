package io.ledgerstream.http;

import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.node.NodeSettings;
import io.ledgerstream.privacy.MasterKey;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.transfer.worker.TransferDeadlines;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.testing.TargetDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Ledger nodes on the tests' real broker, with an in-memory registry shared by every node of the test JVM. */
final class TestNodes {

  /** One registry scope for every HTTP test, so all nodes agree on schema ids of what is already in the topics. */
  static final String REGISTRY_URL = "mock://ledgerstream-http-tests";
  /** One master key for every node of the test JVM, as the instances of one ledger share theirs. */
  static final Path MASTER_KEY = masterKey();

  private TestNodes() {
  }

  /** A node with both sides and the HTTP API on a free port, data under target/. */
  static LedgerNode start(String name, int standbyReplicas) {
    return start(name, standbyReplicas, false);
  }

  /** A node with the HTTP API on a free port, data under target/, and the command side unless projections only. */
  static LedgerNode start(String name, int standbyReplicas, boolean projectionsOnly) {
    return LedgerNode.start(settings(name, standbyReplicas, projectionsOnly));
  }

  /** A node with both sides running these aggregate types. */
  static LedgerNode start(String name, List<AggregateType<?, ?, ?>> types) {
    return LedgerNode.start(settings(name, 0, false), types);
  }

  /** A node with both sides and these limits on the live event stream. */
  static LedgerNode start(String name, SubscriptionSettings subscriptions) {
    return LedgerNode.start(settings(name, 0, false).toBuilder().subscriptions(subscriptions).build());
  }

  /** A node with the HTTP API protected so, and the command side unless projections only. */
  static LedgerNode start(String name, int standbyReplicas, boolean projectionsOnly, ApiSecurity security) {
    return LedgerNode.start(settings(name, standbyReplicas, projectionsOnly).toBuilder().security(security).build());
  }

  /** A node with both sides, its HTTP API protected so, and these limits on the live event stream. */
  static LedgerNode start(String name, ApiSecurity security, SubscriptionSettings subscriptions) {
    return LedgerNode.start(settings(name, 0, false).toBuilder().security(security).subscriptions(subscriptions).build());
  }

  /** A node with both sides whose HTTP API is protected so. */
  static LedgerNode start(String name, ApiSecurity security) {
    return LedgerNode.start(settings(name, 0, false).toBuilder().security(security).build());
  }

  /** A node with both sides, this command side's limits and these transfer deadlines. */
  static LedgerNode start(String name, CommandSideConfig commandSide, TransferDeadlines deadlines) {
    return LedgerNode.start(settings(name, 0, false).toBuilder().commandSide(commandSide).typeSettings(deadlines.config())
        .build());
  }

  private static NodeSettings settings(String name, int standbyReplicas, boolean projectionsOnly) {
    return NodeSettings.builder().bootstrapServers(RealKafka.bootstrapServers()).schemaRegistryUrl(REGISTRY_URL).autoRegisterSchemas(true)
        .dataDir(TargetDirs.fresh("http-nodes/" + name)).kafkaPort(0).registryPort(0).httpPort(0).partitions(NodeSettings.DEFAULT_PARTITIONS).replicationFactor(null)
        .standbyReplicas(standbyReplicas).projectionsOnly(projectionsOnly).masterKeyFile(MASTER_KEY).build();
  }

  /**
   * A node on the given broker with its data in {@code dataDir}, which a restart may reuse, the command side unless
   * projections only, and rebuilds committing every {@code catchUpCommitInterval}.
   */
  static LedgerNode start(String bootstrapServers, Path dataDir, boolean projectionsOnly,
                          Duration catchUpCommitInterval) {
    return LedgerNode.start(NodeSettings.builder().bootstrapServers(bootstrapServers).schemaRegistryUrl(REGISTRY_URL).autoRegisterSchemas(true)
        .dataDir(dataDir).kafkaPort(0).registryPort(0).httpPort(0).partitions(NodeSettings.DEFAULT_PARTITIONS).replicationFactor(null)
        .projectionsOnly(projectionsOnly).catchUpCommitInterval(catchUpCommitInterval).masterKeyFile(MASTER_KEY).build());
  }

  private static Path masterKey() {
    Path file = TargetDirs.fresh("http-nodes-master-key-" + ProcessHandle.current().pid()).resolve(MasterKey.DEFAULT_FILE);
    MasterKey.loadOrCreate(file);
    return file;
  }

  /** An id no other test uses, so tests sharing the broker's topics never see each other's aggregates. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
