package io.ledgerstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.security.Role;
import io.ledgerstream.security.TestTokens;
import io.ledgerstream.testing.ChildJvms;
import io.ledgerstream.testing.TargetDirs;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --auth-hmac-secret-file FILE} as a user runs it, in a JVM of its own: the embedded broker, the
 * development registry and the API start, and both the API and the registry's writes want tokens.
 */
class EmbeddedServeWithTokensTest {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Process serve;
  private static Path log;
  private static TestTokens tokens;
  private static String api;
  private static String registry;

  @BeforeAll
  static void start() throws Exception {
    Path dir = TargetDirs.fresh("embedded-serve-with-tokens");
    tokens = TestTokens.hmac(dir);
    int kafkaPort = freePortWithNext();
    int registryPort = freePort();
    int httpPort = freePort();
    api = "http://127.0.0.1:" + httpPort;
    registry = "http://localhost:" + registryPort;
    log = dir.resolve("serve.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m"));
    command.addAll(ChildJvms.options());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "serve", "--data-dir", dir.resolve("data").toString(),
        "--kafka-port", Integer.toString(kafkaPort), "--registry-port", Integer.toString(registryPort),
        "--http-port", Integer.toString(httpPort), "--partitions", "2",
        "--auth-hmac-secret-file", tokens.secretFile().toString()));
    serve = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitReady(Duration.ofSeconds(180));
  }

  @AfterAll
  static void stop() throws Exception {
    if (serve != null) {
      serve.destroy();
      if (!serve.waitFor(60, TimeUnit.SECONDS)) {
        serve.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void theApiWantsATokenAndTakesCommandsWithOne() throws Exception {
    assertThat(send(get(api + "/accounts/A-1")).statusCode()).isEqualTo(401);

    HttpResponse<String> opened = send(HttpRequest.newBuilder(URI.create(api + "/accounts/A-1/commands?wait=15000"))
        .header("Authorization", "Bearer " + tokens.token("dev", Role.WRITE))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"OpenAccount\",\"owner\":\"alice\",\"currency\":\"EUR\"}")));

    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
    assertThat(opened.body()).contains("ACCEPTED");
  }

  @Test
  void theDevelopmentRegistryIsReadableByAllAndWritableByAdminsOnly() throws Exception {
    String schema = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":[]}\"}";
    String subject = registry + "/subjects/probe-value/versions";

    assertThat(send(get(registry + "/subjects")).body()).contains("ledger.account.commands-value");
    HttpResponse<String> anonymous = send(register(subject, schema, null));
    HttpResponse<String> writer = send(register(subject, schema, tokens.token("dev", Role.WRITE)));
    HttpResponse<String> admin = send(register(subject, schema, tokens.token("ops", Role.ADMIN)));

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("error_code");
    assertThat(writer.statusCode()).isEqualTo(403);
    assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
    assertThat(admin.body()).contains("\"id\"");
  }

  private static HttpRequest.Builder register(String url, String body, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  private static HttpRequest.Builder get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).GET();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!serve.isAlive()) {
        throw new IllegalStateException("serve exited with " + serve.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (send(get(api + "/health/ready")).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("serve was not ready after " + timeout + ":\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A free port whose successor is free too: the embedded broker's controller takes it. */
  private static int freePortWithNext() throws IOException {
    while (true) {
      int port = freePort();
      try (ServerSocket next = new ServerSocket(port + 1)) {
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
  }
}
