package io.ledgerstream.registry.dev;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * TEMPORARY: a throwaway single-node KRaft broker for the registry's persistence test, run as a
 * child JVM of {@code kafka.Kafka} from the test classpath. Replace it with the shared embedded
 * broker fixture ({@code io.ledgerstream.broker.EmbeddedKafkaBroker}) once the branches are merged.
 */
final class TemporaryKafkaForRegistryTest implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Path config;
  private final int port;
  private Process broker;

  private TemporaryKafkaForRegistryTest(Path dir, int port, int controllerPort) throws IOException {
    this.dir = dir;
    this.port = port;
    this.config = dir.resolve("server.properties");
    Files.writeString(config, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("data").toAbsolutePath(),
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        ""));
  }

  /** Formats fresh storage under target/ and starts the broker. */
  static TemporaryKafkaForRegistryTest start() throws Exception {
    Path dir = Files.createTempDirectory(
        Path.of(System.getProperty("ledgerstream.test.dir", "target")), "registry-kafka-");
    var kafka = new TemporaryKafkaForRegistryTest(dir, freePort(), freePort());
    Process format = kafka.run("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
        "-c", kafka.config.toString());
    if (!format.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IllegalStateException("Formatting Kafka storage failed; see " + dir.resolve("kafka.log"));
    }
    kafka.startBroker();
    return kafka;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Stops the broker cleanly and starts it again on the same data and port. */
  void restart() throws Exception {
    stopBroker();
    startBroker();
  }

  @Override
  public void close() throws Exception {
    stopBroker();
  }

  private void startBroker() throws Exception {
    broker = run("kafka.Kafka", config.toString());
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      while (true) {
        if (!broker.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka did not start; see " + dir.resolve("kafka.log"));
        }
        try {
          admin.describeCluster().nodes().get(1, TimeUnit.SECONDS);
          return;
        } catch (TimeoutException | ExecutionException e) {
          // not up yet
        }
      }
    }
  }

  private void stopBroker() throws InterruptedException {
    if (broker != null && broker.isAlive()) {
      broker.destroy();
      if (!broker.waitFor(30, TimeUnit.SECONDS)) {
        broker.destroyForcibly().waitFor();
      }
    }
  }

  private Process run(String mainClass, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    File log = dir.resolve("kafka.log").toFile();
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
