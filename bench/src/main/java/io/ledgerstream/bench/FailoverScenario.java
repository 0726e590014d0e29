package io.ledgerstream.bench;

import io.ledgerstream.broker.EmbeddedKafkaBroker;
import io.ledgerstream.cli.Main;
import io.ledgerstream.registry.dev.DevSchemaRegistry;
import io.ledgerstream.registry.dev.KafkaDevSchemaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Scenario 7: two instances in their own JVMs with one standby replica; one is killed with SIGKILL under load, and the
 * clock runs until a query for an account it served answers, from the survivor, with a deposit made after the kill.
 * It runs on its own broker and development registry, so the instances share nothing with the other scenarios.
 */
final class FailoverScenario {

  /**
   * The instances' settings for a quick failover, as documented: failure detection is the group's session timeout
   * (Kafka's default is 45 s), and a killed instance's open transaction holds read_committed readers back until the
   * transaction times out (10 s under Kafka Streams' exactly-once by default).
   */
  static final Map<String, String> QUICK_FAILOVER = Map.of("session.timeout.ms", "3000",
      "heartbeat.interval.ms", "1000", "transaction.timeout.ms", "3000");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration FAILOVER_TIMEOUT = Duration.ofMinutes(3);
  private static final int ACCOUNTS = 60;
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");
  private static final String SERVED_BY = "X-Ledgerstream-Served-By";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private FailoverScenario() {
  }

  static void run(Path dataDir, BenchSettings settings, Report report) {
    Map<String, String> config = new TreeMap<>(QUICK_FAILOVER);
    config.putAll(settings.failoverConfig());
    report.section("Failover", "two instances (separate JVMs, --standby-replicas 1, " + config + "), deposits under "
        + "way; one is killed with SIGKILL; time until a query to the survivor for an account the killed one served "
        + "shows a deposit made after the kill");
    new FailoverScenario().measure(dataDir.resolve("failover"), settings.partitions(), config, report);
  }

  private void measure(Path dir, int partitions, Map<String, String> instanceConfig, Report report) {
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0, 0).start()) {
      Map<String, Object> client = new HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
          broker.bootstrapServers()));
      try (DevSchemaRegistry registry = DevSchemaRegistry.start("localhost", 0,
          KafkaDevSchemaStore.open(client, KafkaDevSchemaStore.DEFAULT_TOPIC, (short) 1))) {
        StringBuilder properties = new StringBuilder();
        instanceConfig.forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
        Path config = write(dir.resolve("instance.properties"), properties.toString());
        Instance first = Instance.start("a", dir, broker.bootstrapServers(), registry.url(), config, partitions);
        Instance second = null;
        try {
          awaitReady(first);
          second = Instance.start("b", dir, broker.bootstrapServers(), registry.url(), config, partitions);
          awaitReady(second);
          failover(first, second, report);
        } finally {
          first.kill();
          if (second != null) {
            second.kill();
          }
        }
      }
    }
  }

  private void failover(Instance victim, Instance survivor, Report report) {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      String id = "fo-" + i;
      expect(post(survivor, "/accounts/" + id + "/commands?wait=10000",
          "{\"type\":\"OpenAccount\",\"owner\":\"failover\",\"currency\":\"EUR\"}"), 200, "opening " + id);
      accounts.add(id);
    }
    String owned = awaitOwnedBy(victim, survivor, accounts);
    List<String> others = accounts.stream().filter(id -> !id.equals(owned)).toList();
    AtomicBoolean loading = new AtomicBoolean(true);
    Thread load = new Thread(() -> {
      for (int i = 0; loading.get(); i++) {
        postQuietly(survivor, "/accounts/" + others.get(i % others.size()) + "/commands", deposit());
        Sleep.millis(20);
      }
    }, "bench-failover-load");
    load.start();
    try {
      Sleep.millis(2000);
      long before = version(survivor, owned).orElseThrow();
      report.note(String.format("%s is served by %s at version %d; killing that instance (pid %d)", owned,
          victim.advertised(), before, victim.pid()));
      long killed = System.nanoTime();
      victim.kill();
      long deadline = killed + FAILOVER_TIMEOUT.toNanos();
      while (true) {
        postQuietly(survivor, "/accounts/" + owned + "/commands", deposit());
        Optional<Long> now = version(survivor, owned);
        if (now.isPresent() && now.get() > before) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no fresh answer for " + owned + " within " + FAILOVER_TIMEOUT);
        }
        Sleep.millis(50);
      }
      report.value("failover.seconds", "kill -9 to a fresh answer from the survivor",
          (System.nanoTime() - killed) / 1e9, "s");
    } finally {
      loading.set(false);
      try {
        load.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** An account whose summary the victim serves, asked of the survivor, which forwards to the owner. */
  private String awaitOwnedBy(Instance victim, Instance survivor, List<String> accounts) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (String id : accounts) {
        HttpResponse<String> answer = get(survivor, "/accounts/" + id);
        if (answer != null && answer.statusCode() == 200
            && victim.advertised().equals(answer.headers().firstValue(SERVED_BY).orElse(""))) {
          return id;
        }
      }
      Sleep.millis(200);
    }
    throw new IllegalStateException("no account is served by " + victim.advertised());
  }

  private Optional<Long> version(Instance instance, String accountId) {
    HttpResponse<String> answer = get(instance, "/accounts/" + accountId);
    if (answer == null || answer.statusCode() != 200) {
      return Optional.empty();
    }
    Matcher matcher = VERSION.matcher(answer.body());
    return matcher.find() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
  }

  private void awaitReady(Instance instance) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!instance.process().isAlive()) {
        throw new IllegalStateException("instance " + instance.name() + " exited; see " + instance.log());
      }
      HttpResponse<String> answer = get(instance, "/health/ready");
      if (answer != null && answer.statusCode() == 200) {
        return;
      }
      Sleep.millis(200);
    }
    throw new IllegalStateException("instance " + instance.name() + " not ready in " + START_TIMEOUT + "; see "
        + instance.log());
  }

  private static String deposit() {
    return "{\"type\":\"DepositMoney\",\"amountMinor\":1,\"reference\":\"failover\"}";
  }

  private HttpResponse<String> get(Instance instance, String path) {
    return send(HttpRequest.newBuilder(instance.uri(path)).timeout(Duration.ofSeconds(2)).GET().build());
  }

  private HttpResponse<String> post(Instance instance, String path, String json) {
    return send(HttpRequest.newBuilder(instance.uri(path)).timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private void postQuietly(Instance instance, String path, String json) {
    post(instance, path, json);
  }

  /** The answer, or null when none came (the instance is down or slow). */
  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void expect(HttpResponse<String> answer, int status, String what) {
    if (answer == null || answer.statusCode() != status) {
      throw new IllegalStateException(what + ": expected " + status + ", got "
          + (answer == null ? "no answer" : answer.statusCode() + " " + answer.body()));
    }
  }

  private static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One {@code serve} in a JVM of its own, on this JVM's class path, with its output in a log file. */
  private record Instance(String name, Process process, int port, Path log) {

    static Instance start(String name, Path dir, String bootstrapServers, String registryUrl, Path config,
                          int partitions) {
      int port = freePort();
      Path data = dir.resolve(name);
      Path log = dir.resolve(name + ".log");
      List<String> command = List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
          "--bootstrap-servers", bootstrapServers, "--schema-registry-url", registryUrl, "--auto-register-schemas",
          "--config", config.toString(), "--data-dir", data.toString(), "--partitions", Integer.toString(partitions),
          "--http-port", Integer.toString(port), "--advertised-http", "localhost:" + port, "--standby-replicas", "1",
          // the bench's own broker and registry on loopback, queried without tokens
          "--insecure-no-auth");
      try {
        Files.createDirectories(data);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        return new Instance(name, process, port, log);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start instance " + name, e);
      }
    }

    String advertised() {
      return "localhost:" + port;
    }

    long pid() {
      return process.pid();
    }

    URI uri(String path) {
      return URI.create("http://localhost:" + port + path);
    }

    /** SIGKILL: no shutdown hook runs, the group is not left, nothing is flushed. */
    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
