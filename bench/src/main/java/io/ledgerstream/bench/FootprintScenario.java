package io.ledgerstream.bench;

import io.ledgerstream.streams.StreamsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Scenario 6: memory and disk with many accounts loaded, and how long the command side takes to be RUNNING again
 * after a restart without its local state (restored from the changelogs) and with it.
 */
final class FootprintScenario {

  private static final int LOAD_CHUNK = 100_000;
  private static final Duration UNCOMMIT_WAIT = Duration.ofSeconds(3);

  private FootprintScenario() {
  }

  static void run(BenchCluster cluster, BenchSettings settings, Report report) {
    report.section("Footprint and state restore", String.format("%,d accounts opened through the command side, then "
        + "its restart timed until RUNNING", settings.footprintAccounts()));
    long loadNanos = load(cluster, 0, settings.footprintAccounts());
    report.value("footprint.load_commands_per_s", "loading (OpenAccount)", settings.footprintAccounts()
        / (loadNanos / 1e9), "commands/s");

    report.value("footprint.jvm_rss_mb", "RSS of this JVM (command side + bench)", residentMiB(), "MiB");
    // right after residentMiB's collection, so what the collection freed is trimmed too
    if (trimNativeHeap()) {
      report.value("footprint.jvm_rss_trimmed_mb", "   after trimming the native heap",
          residentKilobytes(ProcessHandle.current().pid()).orElse(0) / 1024.0, "MiB");
    } else {
      report.note("this JVM has no System.trim_native_heap (it needs glibc): the RSS above includes the C heap's "
          + "free memory");
    }
    Runtime runtime = Runtime.getRuntime();
    report.value("footprint.heap_committed_mb", "   heap committed", runtime.totalMemory() / 1048576.0, "MiB");
    report.value("footprint.heap_used_mb", "   heap used after a GC", (runtime.totalMemory() - runtime.freeMemory())
        / 1048576.0, "MiB");
    OptionalLong broker = cluster.brokerPid();
    if (broker.isPresent()) {
      report.value("footprint.broker_rss_mb", "RSS of the broker JVM", residentKilobytes(broker.getAsLong()).orElse(0)
          / 1024.0, "MiB");
    }
    Path state = cluster.stateDir().resolve(StreamsSettings.COMMAND_SIDE_APPLICATION_ID);
    cluster.stopCommandSide();
    // measured after the clean close, which flushes the stores' memtables to disk
    report.value("footprint.state_dir_mb", "command side local state on disk", bytes(state) / 1048576.0, "MiB");
    Restart wiped = restartWithoutState(cluster);
    report.value("footprint.restore_seconds", "restart without local state, to RUNNING", wiped.seconds(), "s");
    report.note(String.format("%,d records restored from the changelogs", wiped.restored()));
    report.value("footprint.restored_rss_mb", "RSS of this JVM after the restore", residentMiB(), "MiB");
    cluster.stopCommandSide();
    Restart kept = restart(cluster);
    report.value("footprint.restart_seconds", "restart with local state, to RUNNING", kept.seconds(), "s");
    report.note(String.format("%,d records restored from the changelogs", kept.restored()));
  }

  /** Opens accounts {@code from} (inclusive) to {@code to} through the command side; returns the nanoseconds taken. */
  static long load(BenchCluster cluster, int from, int to) {
    cluster.commandSide();
    long loadNanos = 0;
    for (int chunk = from; chunk < to; chunk += LOAD_CHUNK) {
      loadNanos += Pipeline.sendAndAwaitResults(cluster,
          CommandMix.encode(cluster.topics(), CommandMix.opens("fp", chunk, Math.min(to, chunk + LOAD_CHUNK))),
          "loading accounts");
    }
    return loadNanos;
  }

  /**
   * The resident memory of this JVM after a GC, in MiB. G1 gives the heap it shrank back to the system on a
   * background thread after the collection, so the reading waits for that rather than count the load generator's
   * peak heap as the ledger's.
   */
  static double residentMiB() {
    System.gc();
    Sleep.millis(UNCOMMIT_WAIT.toMillis());
    return residentKilobytes(ProcessHandle.current().pid()).orElse(0) / 1024.0;
  }

  /**
   * Returns the memory the C heap holds free to the system ({@code jcmd <pid> System.trim_native_heap}, what
   * {@code -XX:TrimNativeHeapInterval} does periodically): what RocksDB and the closed stores of earlier scenarios
   * freed stays resident in malloc's arenas until then. False where the JVM has no such command.
   */
  static boolean trimNativeHeap() {
    try {
      ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
          "systemTrimNativeHeap", new Object[0], new String[0]);
      return true;
    } catch (JMException e) {
      return false;
    }
  }

  /** Stops the command side, deletes its local state and starts it again, timed until RUNNING. */
  static Restart restartWithoutState(BenchCluster cluster) {
    cluster.stopCommandSide();
    delete(cluster.stateDir().resolve(StreamsSettings.COMMAND_SIDE_APPLICATION_ID));
    return restart(cluster);
  }

  record Restart(double seconds, long restored) {
  }

  private static Restart restart(BenchCluster cluster) {
    AtomicLong restored = new AtomicLong();
    KafkaStreams streams = new KafkaStreams(cluster.commandTopology(),
        cluster.streamsConfig(StreamsSettings.COMMAND_SIDE_APPLICATION_ID));
    streams.setGlobalStateRestoreListener(new StateRestoreListener() {
      @Override
      public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
      }

      @Override
      public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restored.addAndGet(numRestored);
      }

      @Override
      public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
      }
    });
    long started = System.nanoTime();
    streams.start();
    try {
      BenchCluster.awaitRunning(streams);
    } catch (RuntimeException e) {
      BenchCluster.stop(streams);
      throw e;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    cluster.adoptCommandSide(streams);
    return new Restart(seconds, restored.get());
  }

  /** VmRSS of a process from {@code /proc}; empty where there is none. */
  static OptionalLong residentKilobytes(long pid) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      return lines.stream()
          .filter(line -> line.startsWith("VmRSS:"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  private static long bytes(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
