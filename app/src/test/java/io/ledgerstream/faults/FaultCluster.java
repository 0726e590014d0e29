package io.ledgerstream.faults;

import io.ledgerstream.broker.EmbeddedKafkaBroker;
import io.ledgerstream.node.SchemaSetup;
import io.ledgerstream.registry.HttpSchemaRegistryClient;
import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.registry.dev.DevSchemaRegistry;
import io.ledgerstream.registry.dev.InMemoryDevSchemaStore;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.testing.RegistryOutage;
import io.ledgerstream.streams.TopicSetup;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.KafkaClients;
import io.ledgerstream.testing.TargetDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the fault scenarios break: a broker of their own (a child JVM), a schema registry in this JVM that outlives
 * broker crashes, and two Ledgerstream instances in JVMs of their own sharing the work.
 */
final class FaultCluster implements AutoCloseable {

  // a thawed instance has taken three minutes to be ready again on a loaded machine (see docs/FAULTS.md)
  static final Duration READY_TIMEOUT = Duration.ofSeconds(360);
  /** Short enough that a lost instance's partitions move within seconds; the broker's minimum is 6 s. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

  private static final Logger log = LoggerFactory.getLogger(FaultCluster.class);

  final FaultSettings settings;
  final EmbeddedKafkaBroker broker;
  final Topics topics;
  final SchemaRegistryClient registryClient;
  final List<AppInstance> instances;
  private final DevSchemaRegistry registry;
  /** What the instances reach the registry through, so a scenario can take it away from them. */
  final RegistryOutage registryPath;
  private final PoisonMix poison;

  private FaultCluster(FaultSettings settings, Path root) {
    this.settings = settings;
    // the broker scenario crashes the broker, not the metadata quorum: the controller runs apart, as in production
    this.broker = new EmbeddedKafkaBroker(root.resolve("kafka"), 0, 0).withSeparateController().start();
    this.registry = DevSchemaRegistry.start("localhost", 0, new InMemoryDevSchemaStore());
    this.registryClient = HttpSchemaRegistryClient.forUrl(registry.url());
    this.registryPath = RegistryOutage.inFrontOf(registry.url());
    this.topics = new Topics(new RegistryRecordSerdes(registryClient, false));
    this.poison = new PoisonMix(topics, registryClient);
    try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
      TopicSetup.ensure(admin, topics.all(), settings.partitions(), (short) 1);
    }
    SchemaSetup.register(registryClient, topics.avroTopics());
    List<String> serve = List.of("--bootstrap-servers", broker.bootstrapServers(),
        "--schema-registry-url", registryPath.url(), "--auto-register-schemas", "--insecure-no-auth",
        "--partitions", Integer.toString(settings.partitions()), "--standby-replicas", "1",
        "--config", clientConfig(root).toString());
    this.instances = List.of(new AppInstance("app-1", root.resolve("app-1"), serve),
        new AppInstance("app-2", root.resolve("app-2"), serve));
  }

  static FaultCluster start(FaultSettings settings) {
    FaultCluster cluster = new FaultCluster(settings, TargetDirs.fresh("faults"));
    try {
      cluster.instances.forEach(AppInstance::start);
      cluster.awaitReady();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  Map<String, Object> clientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
  }

  /** An id for a scenario's records that no other run's keys start with. */
  static String newRun(String scenario) {
    return "f" + UUID.randomUUID().toString().substring(0, 8) + "-" + scenario;
  }

  /** Load for one run, started: its command mix with transfers, and poison as often as the settings say. */
  LedgerLoad startLoad(String run) {
    CommandMix mix = new CommandMix(run, topics, run.hashCode(), true);
    return new LedgerLoad(clientProperties(), mix, poison, settings.rate(), settings.poisonEvery()).start();
  }

  /** A hostile client beside a run's load, started: a round every {@code every}, aimed at the load's accounts. */
  HostileLoad startHostile(String run, LedgerLoad load, Duration every) {
    HostileMix mix = new HostileMix(run, topics, load.commands(), run.hashCode() + 1L);
    return new HostileLoad(clientProperties(), topics, mix, every).start();
  }

  PoisonMix poison() {
    return poison;
  }

  void awaitReady() {
    instances.forEach(instance -> instance.awaitReady(READY_TIMEOUT));
  }

  /**
   * Waits until every instance serves and the run is quiet (every command answered, every transfer finished, every
   * poison record dead-lettered, nothing new for a second), then verifies it, projections included.
   */
  LedgerVerifier.Verification verify(String run, Collection<PoisonRecord> injected) {
    return verify(run, injected, List.of());
  }

  /** As {@link #verify(String, Collection)}, with the hostile commands the run sent beside its load. */
  LedgerVerifier.Verification verify(String run, Collection<PoisonRecord> injected, Collection<HostileRecord> hostile) {
    awaitReady();
    LedgerLog quiet = awaitQuiet(run, injected);
    return LedgerVerifier.verify(quiet, injected, hostile,
        new HttpProjectionReader(instances.get(0).httpUrl(), Duration.ofSeconds(30)));
  }

  private LedgerLog awaitQuiet(String run, Collection<PoisonRecord> injected) {
    long started = System.nanoTime();
    long deadline = started + settings.quiet().toNanos();
    int previousSize = -1;
    while (true) {
      LedgerLog read = LedgerLog.read(clientProperties(), topics, run, Duration.ofSeconds(60));
      List<String> outstanding = LedgerVerifier.outstanding(read, injected);
      if (outstanding.isEmpty() && read.size() == previousSize) {
        log.info("Run {} quiet after {} ms", run, Duration.ofNanos(System.nanoTime() - started).toMillis());
        return read;
      }
      if (System.nanoTime() > deadline) {
        log.warn("Run {} not quiet after {}; verifying anyway. Outstanding: {}", run, settings.quiet(),
            outstanding.subList(0, Math.min(10, outstanding.size())));
        instances.stream().filter(AppInstance::isAlive)
            .forEach(instance -> log.warn("Threads of {}: {}", instance.name(), instance.dumpThreads(run)));
        return read;
      }
      previousSize = read.size();
      sleep(1000);
    }
  }

  /**
   * A lower session timeout, so a killed or frozen instance (SIGSTOP freezes its heartbeat thread too) is noticed in
   * seconds rather than 45 s. {@code max.poll.interval.ms} keeps its default: lowered, a stream thread blocked for a
   * while on a restarting broker would be thrown out of the group for no gain.
   */
  private static Path clientConfig(Path root) {
    Path file = root.resolve("client.properties");
    try {
      Files.writeString(file, String.join("\n",
          "session.timeout.ms=" + SESSION_TIMEOUT.toMillis(),
          "heartbeat.interval.ms=1500",
          ""));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(Duration duration) {
    sleep(duration.toMillis());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    instances.forEach(instance -> {
      try {
        instance.close();
      } catch (RuntimeException e) {
        log.warn("Could not stop {}: {}", instance.name(), e.toString());
      }
    });
    registryPath.close();
    registry.close();
    broker.close();
  }
}
