package io.ledgerstream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real single-node KRaft Kafka broker, run as a child JVM, whose data directory survives restarts. */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  public static final Path DEFAULT_DATA_DIR = Path.of("data", "kafka");
  public static final int DEFAULT_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int PROBE_TIMEOUT_MS = 2000;

  private final BrokerDataDir dataDir;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides = new LinkedHashMap<>();
  private Map<String, String> saslUsers = Map.of();
  private String superUser;
  private Duration startTimeout = DEFAULT_START_TIMEOUT;
  private boolean stopsWithTheJvm = true;
  // read without the lock by the shutdown hook, which must not wait for a start in progress
  private volatile Process process;
  private Thread shutdownHook;

  /** A broker on the default data directory and ports (localhost:9092, controller 9093). */
  public EmbeddedKafkaBroker() {
    this(DEFAULT_DATA_DIR, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT);
  }

  /** A broker keeping its data in {@code dataDir}; port 0 picks a free port, kept across restarts of this instance. */
  public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort) {
    this.dataDir = new BrokerDataDir(dataDir);
    this.port = port == 0 ? freePort(-1) : port;
    this.controllerPort = controllerPort == 0 ? freePort(this.port) : controllerPort;
  }

  /** Sets a broker property, overriding the single-node defaults; applies from the next start. */
  public synchronized EmbeddedKafkaBroker withProperty(String key, String value) {
    overrides.put(key, value);
    return this;
  }

  /**
   * Requires clients to log in with SASL/PLAIN as one of {@code users} (name to password) and authorizes every
   * request with Kafka's {@code StandardAuthorizer}: only {@code superUser} and what ACLs grant are allowed. The
   * controller listener stays plaintext on localhost for the broker's own use. Applies from the next start; without
   * it the broker takes any client, as before.
   */
  public synchronized EmbeddedKafkaBroker withSaslAndAcls(Map<String, String> users, String superUser) {
    if (!users.containsKey(superUser)) {
      throw new IllegalArgumentException("the super user " + superUser + " needs a password among the users");
    }
    this.saslUsers = Map.copyOf(users);
    this.superUser = superUser;
    return this;
  }

  /** What a client needs to reach this broker as {@code user}: bootstrap servers and, with SASL, its login. */
  public synchronized Map<String, Object> clientProperties(String user) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    if (!saslUsers.isEmpty()) {
      String password = saslUsers.get(user);
      if (password == null) {
        throw new IllegalArgumentException("no SASL user " + user);
      }
      properties.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
      properties.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
      properties.put(SaslConfigs.SASL_JAAS_CONFIG, plainLogin(user, password, ""));
    }
    return properties;
  }

  /** How long {@link #start()} waits for the broker to answer before giving up. */
  public synchronized EmbeddedKafkaBroker withStartTimeout(Duration timeout) {
    this.startTimeout = timeout;
    return this;
  }

  /**
   * Leaves stopping the broker at JVM exit to the owner, who closes it after the clients that use it; the child still
   * exits on its own when this JVM dies without closing it.
   */
  public synchronized EmbeddedKafkaBroker withoutShutdownHook() {
    this.stopsWithTheJvm = false;
    return this;
  }

  /**
   * Starts the broker and returns once it answers requests, formatting the storage first if this
   * data directory has never held a broker.
   *
   * @throws IllegalStateException if the broker dies or does not answer in time; the message quotes its log
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (isRunning()) {
      throw new IllegalStateException("Kafka broker already running as pid " + process.pid());
    }
    long started = System.nanoTime();
    try {
      Optional<String> formattedAs = dataDir.clusterId();
      String clusterId = formattedAs.orElseGet(() -> Uuid.randomUuid().toString());
      Path config = dataDir.writeServerProperties(settings());
      dataDir.rotateLog();
      process = launch(config, formattedAs.isPresent() ? null : clusterId);
      if (stopsWithTheJvm) {
        registerShutdownHook();
      }
      awaitReady(clusterId, started);
    } catch (IOException e) {
      stopForcibly(process);
      throw new UncheckedIOException("Could not start the Kafka broker in " + dataDir.root(), e);
    } catch (RuntimeException e) {
      stopForcibly(process);
      throw e;
    }
    log.info("Kafka broker ready at {} after {} ms (pid {}, data {})",
        bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), pid(), dataDir.root());
    return this;
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  public int port() {
    return port;
  }

  public int controllerPort() {
    return controllerPort;
  }

  public Path dataDir() {
    return dataDir.root();
  }

  /** The broker JVM's stdout and stderr; the previous run's is kept beside it as broker.log.1. */
  public Path logFile() {
    return dataDir.logFile();
  }

  public boolean isRunning() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /** The process id of the broker JVM, also after it exited. */
  public long pid() {
    Process current = process;
    if (current == null) {
      throw new IllegalStateException("Kafka broker was never started");
    }
    return current.pid();
  }

  /** Kills the broker JVM at once (SIGKILL on Unix), as a crash would; {@link #start()} may follow. */
  public synchronized void kill() {
    stopForcibly(process);
  }

  /** Stops the broker cleanly, forcibly if it takes over 30 seconds; {@link #start()} may follow. */
  @Override
  public synchronized void close() {
    stopGracefully(process);
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running and stops the same process
      }
      shutdownHook = null;
    }
  }

  private Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("process.roles", "broker,controller");
    settings.put("node.id", "1");
    settings.put("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
    settings.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    settings.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    settings.put("controller.listener.names", "CONTROLLER");
    settings.put("inter.broker.listener.name", "PLAINTEXT");
    settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    // a backslash is an escape in a properties file
    settings.put("log.dirs", dataDir.kafkaLogDir().toString().replace('\\', '/'));
    settings.put("num.partitions", "6");
    settings.put("offsets.topic.replication.factor", "1");
    settings.put("offsets.topic.num.partitions", "6");
    settings.put("transaction.state.log.replication.factor", "1");
    settings.put("transaction.state.log.min.isr", "1");
    settings.put("transaction.state.log.num.partitions", "6");
    settings.put("share.coordinator.state.topic.replication.factor", "1");
    settings.put("share.coordinator.state.topic.min.isr", "1");
    settings.put("group.initial.rebalance.delay.ms", "0");
    // a killed instance's open transaction holds read_committed readers back until the coordinator aborts it, which
    // it checks for every ten seconds by default; and instances may detect a dead peer sooner than in six seconds
    settings.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    settings.put("group.min.session.timeout.ms", "2000");
    // after a kill -9 the controller refuses the restarted broker until the old session expires
    settings.put("broker.heartbeat.interval.ms", "1000");
    settings.put("broker.session.timeout.ms", "4000");
    if (!saslUsers.isEmpty()) {
      settings.putAll(saslSettings());
    }
    settings.putAll(overrides);
    return settings;
  }

  private Map<String, String> saslSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("listeners", "SASL_PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    settings.put("advertised.listeners", "SASL_PLAINTEXT://localhost:" + port);
    settings.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    settings.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    settings.put("sasl.enabled.mechanisms", "PLAIN");
    settings.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    String accounts = saslUsers.entrySet().stream()
        .map(user -> "user_" + user.getKey() + "=\"" + user.getValue() + "\"")
        .collect(Collectors.joining(" "));
    settings.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
        plainLogin(superUser, saslUsers.get(superUser), accounts));
    settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    // the broker reaches its own controller over the plaintext controller listener, as ANONYMOUS
    settings.put("super.users", "User:" + superUser + ";User:ANONYMOUS");
    return settings;
  }

  private static String plainLogin(String user, String password, String accounts) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
        + "\" password=\"" + password + "\"" + (accounts.isEmpty() ? "" : " " + accounts) + ";";
  }

  private Process launch(Path config, String clusterIdToFormat) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        javaBinary(), "-Xms128m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
        "-Dlogback.configurationFile=io/ledgerstream/broker/broker-logback.xml",
        "-cp", System.getProperty("java.class.path"),
        BrokerLauncher.class.getName(), Long.toString(ProcessHandle.current().pid()), config.toString()));
    if (clusterIdToFormat != null) {
      command.add(clusterIdToFormat);
    }
    // stdin stays a pipe held by this JVM: the launcher takes its end for this JVM's death
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.logFile().toFile()))
        .start();
  }

  private void awaitReady(String clusterId, long started) {
    long deadline = started + startTimeout.toNanos();
    Map<String, Object> probeConfig = new LinkedHashMap<>(saslUsers.isEmpty()
        ? Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()) : clientProperties(superUser));
    probeConfig.putAll(Map.of(
        AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, PROBE_TIMEOUT_MS,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, PROBE_TIMEOUT_MS,
        AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200,
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    try (Admin admin = Admin.create(probeConfig)) {
      while (true) {
        if (!process.isAlive()) {
          throw startFailure("exited with code " + process.exitValue() + " while starting");
        }
        if (System.nanoTime() > deadline) {
          throw startFailure("did not answer within " + startTimeout.toMillis() + " ms");
        }
        // probing the port first keeps the admin client from logging refused connections
        if (accepts(port) && answers(admin, clusterId)) {
          return;
        }
        sleep(100);
      }
    }
  }

  private static boolean answers(Admin admin, String clusterId) {
    try {
      DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS));
      // the cluster id tells our broker from another one that may hold the port
      return clusterId.equals(cluster.clusterId().get()) && !cluster.nodes().get().isEmpty();
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
  }

  private IllegalStateException startFailure(String what) {
    return new IllegalStateException(
        "Kafka broker at " + bootstrapServers() + " " + what + ". " + dataDir.logExcerpt());
  }

  private void registerShutdownHook() {
    if (shutdownHook == null) {
      shutdownHook = new Thread(() -> stopGracefully(process), "embedded-kafka-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  private static void stopGracefully(Process broker) {
    if (broker == null || !broker.isAlive()) {
      return;
    }
    // SIGTERM through the handle: Process.destroy() would also close the child's stdin, which the
    // launcher takes for this JVM's death
    broker.toHandle().destroy();
    if (!awaitExit(broker)) {
      log.warn("Kafka broker pid {} did not stop within {}; killing it", broker.pid(), STOP_TIMEOUT);
      stopForcibly(broker);
    }
  }

  private static void stopForcibly(Process broker) {
    if (broker != null) {
      broker.destroyForcibly();
      awaitExit(broker);
    }
  }

  private static boolean awaitExit(Process broker) {
    try {
      return broker.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !broker.isAlive();
    }
  }

  private static String javaBinary() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(java)) {
      return java.toString();
    }
    return ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("Cannot find the java binary to run the Kafka broker"));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort(int other) {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (socket.getLocalPort() != other) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("No free port for the Kafka broker", e);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
  }
}
