package io.ledgerstream.cli;

import io.ledgerstream.http.SubscriptionSettings;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.node.NodeSettings;
import io.ledgerstream.privacy.MasterKey;
import io.ledgerstream.streams.CommandSideSettingsHook;
import io.ledgerstream.streams.StateMemory;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the system in this process until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start Ledgerstream: the embedded broker and registry unless external ones are given, then the apps.")
final class ServeCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Mixin
  SecurityOptions security;

  @Option(names = "--data-dir", defaultValue = NodeSettings.DEFAULT_DATA_DIR, description = "Broker data and local state (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--kafka-port", defaultValue = "" + NodeSettings.DEFAULT_KAFKA_PORT, description = "Embedded broker port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--registry-port", defaultValue = "" + NodeSettings.DEFAULT_REGISTRY_PORT,
      description = "Development registry port (default: ${DEFAULT-VALUE}).")
  int registryPort;

  @Option(names = "--partitions", defaultValue = "" + NodeSettings.DEFAULT_PARTITIONS, description = "Partitions of created topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--replication-factor",
      description = "Replication of created topics (default: 1 embedded, the broker's default otherwise).")
  Short replicationFactor;

  @Option(names = "--auto-register-schemas", arity = "0..1",
      description = "Register the current schemas at start-up (default: on with the development registry, "
          + "off against an external one, where they are only checked).")
  Boolean autoRegisterSchemas;

  @Mixin
  CommandSideOptions commandSide;

  /** Holds the registered types' own options too, added as mixins by {@link Main}. */
  @Spec
  CommandSpec spec;

  @Option(names = "--http-port", defaultValue = "" + NodeSettings.DEFAULT_HTTP_PORT, description = "HTTP API port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--advertised-http", paramLabel = "HOST:PORT",
      description = "Address other instances and clients reach this HTTP API at; queries for keys this instance owns "
          + "are forwarded here (default: localhost:<http-port>).")
  String advertisedHttp;

  @Option(names = "--standby-replicas", defaultValue = "0",
      description = "Standby copies of each projection store on other instances; 0 for one instance, 1 with several "
          + "for fast fail-over and allowStale reads (default: ${DEFAULT-VALUE}).")
  int standbyReplicas;

  @Option(names = "--projections-only",
      description = "Run the projections and the HTTP API only, not the command side.")
  boolean projectionsOnly;

  @Option(names = "--max-subscriptions", defaultValue = "" + SubscriptionSettings.DEFAULT_MAX_SUBSCRIPTIONS,
      description = "Concurrent /events/stream subscriptions this instance serves (default: ${DEFAULT-VALUE}).")
  int maxSubscriptions;

  @Option(names = "--subscription-buffer-bytes", defaultValue = "" + SubscriptionSettings.DEFAULT_BUFFER_BYTES,
      description = "Bytes of events buffered per /events/stream subscriber, whatever their number "
          + "(default: ${DEFAULT-VALUE}).")
  int subscriptionBufferBytes;

  @Option(names = "--max-subscriptions-per-client", defaultValue = "" + SubscriptionSettings.DEFAULT_MAX_PER_CLIENT,
      description = "Concurrent /events/stream subscriptions of one client: a token's subject, or an address without "
          + "authentication (default: ${DEFAULT-VALUE}).")
  int maxSubscriptionsPerClient;

  @Option(names = "--subscription-buffer", defaultValue = "" + SubscriptionSettings.DEFAULT_BUFFER_EVENTS,
      description = "Events buffered per /events/stream subscriber; one that stays this far behind is disconnected "
          + "and told to reconnect with its Last-Event-ID (default: ${DEFAULT-VALUE}).")
  int subscriptionBuffer;

  @Option(names = "--state-memory", paramLabel = "SIZE", converter = ByteSize.class,
      defaultValue = "" + StateMemory.DEFAULT_BUDGET_BYTES,
      description = "Native memory shared by every local state store of this process (RocksDB block cache, memtables, "
          + "index and filter blocks), e.g. 512MiB or 1GiB (default: " + (StateMemory.DEFAULT_BUDGET_BYTES >> 20)
          + "MiB).")
  long stateMemory;

  @Option(names = "--master-key-file", paramLabel = "FILE",
      description = "The master key (base64 AES-256, readable by its owner only) that wraps the owners' data keys of "
          + "personal data. Default with the embedded broker: " + MasterKey.DEFAULT_FILE + " under --data-dir, made on "
          + "first start; against an external cluster, none: personal data is refused. Make one with "
          + "`keys new-master FILE`.")
  Path masterKeyFile;

  @Override
  public Integer call() throws InterruptedException {
    LedgerNode node;
    NodeSettings settings;
    try {
      settings = NodeSettings.builder()
          .bootstrapServers(connection.bootstrapServers)
          .schemaRegistryUrl(connection.schemaRegistryUrl)
          .autoRegisterSchemas(autoRegisterSchemas)
          .dataDir(dataDir)
          .kafkaPort(kafkaPort)
          .registryPort(registryPort)
          .partitions(partitions)
          .replicationFactor(replicationFactor)
          .clientProperties(connection.clientProperties())
          .commandSide(commandSide.config())
          .httpPort(httpPort)
          .advertisedHttp(advertisedHttp)
          .standbyReplicas(standbyReplicas)
          .projectionsOnly(projectionsOnly)
          .subscriptions(new SubscriptionSettings(maxSubscriptions, subscriptionBuffer,
              SubscriptionSettings.DEFAULTS.heartbeat(), subscriptionBufferBytes, maxSubscriptionsPerClient))
          .stateMemoryBytes(stateMemory)
          .security(security.apiSecurity())
          .typeSettings(typeSettings())
          .masterKeyFile(masterKeyFile)
          .build();
      node = LedgerNode.start(settings);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("ledgerstream serve: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stopping...");
      node.close();
      stopped.countDown();
    }, "ledgerstream-shutdown"));
    System.out.println("Ledgerstream is running.");
    System.out.println("  Kafka:           " + node.bootstrapServers() + (settings.embeddedBroker() ? " (embedded)" : ""));
    System.out.println("  Schema registry: " + node.schemaRegistryUrl() + (settings.embeddedRegistry() ? " (development)" : ""));
    System.out.println("  HTTP API:        " + node.httpUrl() + (projectionsOnly ? " (projections only)" : "")
        + "  (try " + node.httpUrl() + "/openapi.json)");
    System.out.println("  Authentication:  " + (settings.security().auth() != null ? "bearer tokens required"
        : "none (every client may do everything)"));
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
    return 0;
  }

  /** What the registered types' options set, for their command-side hooks. */
  Map<String, Object> typeSettings() {
    Map<String, Object> settings = new HashMap<>();
    spec.mixins().values().stream().map(CommandSpec::userObject)
        .filter(CommandSideSettingsHook.Options.class::isInstance)
        .forEach(options -> settings.putAll(((CommandSideSettingsHook.Options) options).config()));
    return settings;
  }
}
