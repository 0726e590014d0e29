package io.ledgerstream.faults;

import io.ledgerstream.testing.ChildJvms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Ledgerstream instance ({@code serve} of the CLI against the test's broker and registry) in a JVM of its own, so
 * a fault test can kill it with SIGKILL, freeze it with SIGSTOP and start it again on the same data and HTTP port.
 */
final class AppInstance implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AppInstance.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  /** The instances log what their streams applications go through (state changes, rebalances), to tell a hang. */
  private static final String LOG_CONFIG = "logback-faults.xml";

  private final String name;
  private final List<String> serveArguments;
  private final Path logFile;
  private final int httpPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  /**
   * @param serveArguments connection and tuning options of {@code serve}; the data directory and HTTP options are added
   */
  AppInstance(String name, Path dataDir, List<String> serveArguments) {
    this.name = name;
    this.logFile = dataDir.resolveSibling(name + ".log");
    this.httpPort = freePort();
    List<String> arguments = new ArrayList<>(List.of("serve", "--data-dir", dataDir.toString(),
        "--http-port", Integer.toString(httpPort), "--advertised-http", "localhost:" + httpPort));
    arguments.addAll(serveArguments);
    this.serveArguments = List.copyOf(arguments);
  }

  /** Launches the JVM; {@link #awaitReady} waits for it to serve. */
  synchronized AppInstance start() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running as pid " + process.pid());
    }
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-XX:+ExitOnOutOfMemoryError",
        "-Dlogback.configurationFile=" + LOG_CONFIG));
    command.addAll(ChildJvms.options());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServeChild.class.getName()));
    command.addAll(serveArguments);
    try {
      // stdin stays a pipe this JVM holds: ServeChild takes its end for this JVM's death
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    log.info("Started {} as pid {} (HTTP {}, log {})", name, process.pid(), httpUrl(), logFile);
    return this;
  }

  /** Waits until the instance's streams run and its stores answer ({@code /health/ready}). */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isReady()) {
      if (!isAlive()) {
        throw new IllegalStateException(name + " exited with code " + process.exitValue() + " while starting; see "
            + logFile);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " was not ready after " + timeout + "; see " + logFile
            + " and its threads then, " + dumpThreads("not-ready"));
      }
      sleep(250);
    }
  }

  boolean isReady() {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(httpUrl() + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL, as a crash of the machine would: no shutdown hook, no leaving the group, an open transaction left. */
  synchronized void kill() {
    process.toHandle().destroyForcibly();
    awaitExit();
    log.info("Killed {} (pid {}) with SIGKILL", name, process.pid());
  }

  /** SIGSTOP: the JVM freezes mid-flight, heartbeats and all, as in a long GC pause or a stalled VM. */
  synchronized void freeze() {
    signal("STOP");
    log.info("Froze {} (pid {}) with SIGSTOP", name, process.pid());
  }

  /** SIGCONT: the frozen JVM carries on as if nothing happened, and must find itself fenced. */
  synchronized void thaw() {
    signal("CONT");
    log.info("Thawed {} (pid {}) with SIGCONT", name, process.pid());
  }

  /** Writes the JVM's thread dump ({@code jcmd Thread.print}) beside its log, to see where a stuck instance waits. */
  Path dumpThreads(String label) {
    Path dump = logFile.resolveSibling(name + "-threads-" + label + ".txt");
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process print = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
          .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
      print.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      log.warn("Could not dump the threads of {}: {}", name, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return dump;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  String name() {
    return name;
  }

  String httpUrl() {
    return "http://localhost:" + httpPort;
  }

  Path logFile() {
    return logFile;
  }

  /** SIGTERM, then SIGKILL if it takes too long. */
  @Override
  public synchronized void close() {
    if (!isAlive()) {
      return;
    }
    signal("CONT");
    // through the handle: Process.destroy() would also close stdin, which ServeChild takes for this JVM's death
    process.toHandle().destroy();
    if (!awaitExit()) {
      log.warn("{} (pid {}) did not stop within {}; killing it", name, process.pid(), STOP_TIMEOUT);
      process.toHandle().destroyForcibly();
      awaitExit();
    }
  }

  private boolean awaitExit() {
    try {
      return process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send SIG" + signal + " to " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + name, e);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
