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
import java.util.OptionalLong;
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

/**
 * A real single-node KRaft Kafka broker, run as a child JVM, whose data directory survives restarts. By default the
 * one JVM is both broker and controller; {@link #withSeparateController()} runs the controller in a JVM of its own.
 * The system property {@value #JVM_OPTIONS_PROPERTY} adds options to those JVMs' command lines, separated by spaces
 * (the tests run them with the client compiler only, which halves the CPU a short-lived broker spends).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  public static final Path DEFAULT_DATA_DIR = Path.of("data", "kafka");
  public static final int DEFAULT_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;
  /** Extra options for the broker's and the controller's JVMs, separated by spaces. */
  public static final String JVM_OPTIONS_PROPERTY = "ledgerstream.broker.jvm.options";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int PROBE_TIMEOUT_MS = 2000;
  private static final String BROKER_NODE_ID = "1";
  private static final String CONTROLLER_NODE_ID = "2";

  private final BrokerDataDir dataDir;
  private final BrokerDataDir controllerDir;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides = new LinkedHashMap<>();
  private Map<String, String> saslUsers = Map.of();
  private String superUser;
  private Duration startTimeout = DEFAULT_START_TIMEOUT;
  private boolean stopsWithTheJvm = true;
  private boolean separateController;
  // read without the lock by the shutdown hook, which must not wait for a start in progress
  private volatile Process process;
  private volatile Process controller;
  private Thread shutdownHook;

  /** A broker on the default data directory and ports (localhost:9092, controller 9093). */
  public EmbeddedKafkaBroker() {
    this(DEFAULT_DATA_DIR, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT);
  }

  /** A broker keeping its data in {@code dataDir}; port 0 picks a free port, kept across restarts of this instance. */
  public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort) {
    this.dataDir = new BrokerDataDir(dataDir);
    this.controllerDir = new BrokerDataDir(dataDir.resolve("controller"));
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
    if (separateController) {
      throw new IllegalStateException("SASL and ACLs are not supported with a separate controller");
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

  /**
   * Runs the KRaft controller in a JVM of its own beside the broker's, as production clusters do, so that
   * {@link #kill()} crashes the broker alone. The controller that stays up fences the dead broker, and the broker
   * restarts from metadata in which it leads nothing until the controller elects it again. A combined node killed and
   * restarted instead replays the leadership it held when it died, briefly leads and coordinates groups and
   * transactions on that stale view, then loses and regains it: on Kafka 4.4 that flapping can leave a group
   * coordinator out of sync with its log, with transactional offsets that never settle. Plaintext only; set before
   * the data directory's first start.
   */
  public synchronized EmbeddedKafkaBroker withSeparateController() {
    if (!saslUsers.isEmpty()) {
      throw new IllegalStateException("a separate controller is not supported with SASL and ACLs");
    }
    this.separateController = true;
    return this;
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
      if (stopsWithTheJvm) {
        registerShutdownHook();
      }
      if (separateController) {
        startController(clusterId, formattedAs.isPresent(), started);
      }
      Path config = dataDir.writeServerProperties(brokerSettings());
      dataDir.rotateLog();
      process = launch(dataDir, config, formattedAs.isPresent() ? null : clusterId,
          separateController ? "--no-initial-controllers" : "--standalone");
      awaitReady(clusterId, started);
    } catch (IOException e) {
      stopForcibly(process);
      stopForcibly(controller);
      throw new UncheckedIOException("Could not start the Kafka broker in " + dataDir.root(), e);
    } catch (RuntimeException e) {
      stopForcibly(process);
      stopForcibly(controller);
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

  /** The process id of the separate controller's JVM while it runs; empty without one. */
  public OptionalLong controllerPid() {
    Process current = controller;
    return current != null && current.isAlive() ? OptionalLong.of(current.pid()) : OptionalLong.empty();
  }

  /**
   * Kills the broker JVM at once (SIGKILL on Unix), as a crash would; {@link #start()} may follow. A separate
   * controller stays up.
   */
  public synchronized void kill() {
    stopForcibly(process);
  }

  /**
   * Stops the broker cleanly, then a separate controller, each forcibly if it takes over 30 seconds;
   * {@link #start()} may follow.
   */
  @Override
  public synchronized void close() {
    stopGracefully(process);
    stopGracefully(controller);
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running and stops the same process
      }
      shutdownHook = null;
    }
  }

  /** The broker's node: broker and controller both, or the broker beside a separate controller. */
  private Map<String, String> brokerSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("process.roles", separateController ? "broker" : "broker,controller");
    settings.put("node.id", BROKER_NODE_ID);
    settings.put("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
    settings.put("listeners", "PLAINTEXT://localhost:" + port
        + (separateController ? "" : ",CONTROLLER://localhost:" + controllerPort));
    settings.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    settings.put("controller.listener.names", "CONTROLLER");
    settings.put("inter.broker.listener.name", "PLAINTEXT");
    settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    settings.put("log.dirs", propertyPath(dataDir.kafkaLogDir()));
    settings.putAll(nodeSettings());
    if (!saslUsers.isEmpty()) {
      settings.putAll(saslSettings());
    }
    settings.putAll(overrides);
    return settings;
  }

  /** The separate controller: the only voter of the metadata quorum. */
  private Map<String, String> controllerSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("process.roles", "controller");
    settings.put("node.id", CONTROLLER_NODE_ID);
    settings.put("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
    settings.put("listeners", "CONTROLLER://localhost:" + controllerPort);
    settings.put("controller.listener.names", "CONTROLLER");
    settings.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT");
    settings.put("log.dirs", propertyPath(controllerDir.kafkaLogDir()));
    settings.putAll(nodeSettings());
    settings.putAll(overrides);
    return settings;
  }

  /** What every node of this single-broker cluster sets, whatever its roles. */
  private static Map<String, String> nodeSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
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
    return settings;
  }

  /** A path as a properties file needs it: a backslash there is an escape. */
  private static String propertyPath(Path path) {
    return path.toString().replace('\\', '/');
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

  /**
   * Starts the separate controller unless it runs, formatting its storage with the broker's on the first start, and
   * waits until it takes connections.
   */
  private void startController(String clusterId, boolean brokerFormatted, long started) throws IOException {
    if (controller != null && controller.isAlive()) {
      return;
    }
    Optional<String> formattedAs = controllerDir.clusterId();
    if (formattedAs.isPresent() != brokerFormatted || formattedAs.filter(id -> !id.equals(clusterId)).isPresent()) {
      throw new IllegalStateException("The broker's storage in " + dataDir.root() + " and the controller's in "
          + controllerDir.root() + " do not belong together; a separate controller needs a fresh data directory");
    }
    Path config = controllerDir.writeServerProperties(controllerSettings());
    controllerDir.rotateLog();
    controller = launch(controllerDir, config, brokerFormatted ? null : clusterId, "--standalone");
    long deadline = started + startTimeout.toNanos();
    while (!accepts(controllerPort)) {
      if (!controller.isAlive()) {
        throw new IllegalStateException("Kafka controller at localhost:" + controllerPort + " exited with code "
            + controller.exitValue() + " while starting. " + controllerDir.logExcerpt());
      }
      if (System.nanoTime() > deadline) {
        stopForcibly(controller);
        throw new IllegalStateException("Kafka controller at localhost:" + controllerPort + " did not listen within "
            + startTimeout.toMillis() + " ms. " + controllerDir.logExcerpt());
      }
      sleep(100);
    }
  }

  /**
   * @param clusterIdToFormat the cluster id to format the node's storage with first, or null when it holds one
   * @param formatMode {@code --standalone} for the node that holds the metadata quorum, else
   *     {@code --no-initial-controllers}
   */
  private Process launch(BrokerDataDir node, Path config, String clusterIdToFormat, String formatMode)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        javaBinary(), "-Xms128m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
        "-Dlogback.configurationFile=io/ledgerstream/broker/broker-logback.xml"));
    command.addAll(jvmOptions(System.getProperty(JVM_OPTIONS_PROPERTY)));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        BrokerLauncher.class.getName(), Long.toString(ProcessHandle.current().pid()), config.toString()));
    if (clusterIdToFormat != null) {
      command.add(clusterIdToFormat);
      command.add(formatMode);
    }
    // stdin stays a pipe held by this JVM: the launcher takes its end for this JVM's death
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile().toFile()))
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
      shutdownHook = new Thread(() -> {
        stopGracefully(process);
        stopGracefully(controller);
      }, "embedded-kafka-shutdown");
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

  /** The options of {@value #JVM_OPTIONS_PROPERTY}'s value, none when it is unset or blank. */
  public static List<String> jvmOptions(String value) {
    return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
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
