package io.ledgerstream.bench;

import java.nio.file.Path;

/**
 * The scaling runs: the projection rebuild at each size of event log, then, on a broker of its own, the command
 * side's resident memory and restore from the changelogs at each number of accounts; cost should grow linearly.
 */
final class ScaleScenario {

  private ScaleScenario() {
  }

  /**
   * @param dataDir where a second embedded broker keeps the accounts, or null to load them on {@code cluster} (an
   *     external one), after the rebuilds' events
   */
  static void run(BenchCluster cluster, BenchSettings settings, Path dataDir, Report report) {
    report.section("Scaling", "the rebuild at " + settings.scaleSizes() + " events, then the restore and resident "
        + "memory at as many accounts");
    for (int events : settings.scaleSizes()) {
      RebuildScenario.Measured run = RebuildScenario.measure(cluster, events, false);
      String size = label(events);
      report.value("scale.rebuild_" + size + "_seconds", "rebuild of " + size + " events, time",
          run.rebuildNanos() / 1e9, "s");
      report.value("scale.rebuild_" + size + "_events_per_s", "   rate", run.eventsPerSecond(run.rebuildNanos()),
          "events/s");
      report.note(String.format("%,d events read, %,d records in all", run.events(), run.records()));
    }
    // the accounts go to a broker of their own, so the command side's transfer worker does not first read every
    // event appended for the rebuilds
    BenchCluster accounts = dataDir == null ? cluster
        : BenchCluster.start(null, dataDir.resolve("scale-accounts"), settings.partitions());
    try {
      int loaded = 0;
      for (int size : settings.scaleSizes()) {
        long nanos = FootprintScenario.load(accounts, loaded, size);
        String label = label(size);
        report.value("scale.load_" + label + "_commands_per_s", "opening accounts up to " + label,
            (size - loaded) / (nanos / 1e9), "commands/s");
        loaded = size;
        report.value("scale.rss_" + label + "_mb", "   RSS of this JVM (command side + bench)",
            FootprintScenario.residentMiB(), "MiB");
        FootprintScenario.Restart restore = FootprintScenario.restartWithoutState(accounts);
        report.value("scale.restore_" + label + "_seconds", "   restore from the changelogs, to RUNNING",
            restore.seconds(), "s");
        report.value("scale.restored_rss_" + label + "_mb", "   RSS after the restore", FootprintScenario.residentMiB(),
            "MiB");
        report.note(String.format("%,d records restored", restore.restored()));
      }
    } finally {
      if (accounts != cluster) {
        accounts.close();
      }
    }
  }

  /** 100000 -> 100k, 10000000 -> 10M. */
  static String label(long size) {
    if (size % 1_000_000 == 0) {
      return size / 1_000_000 + "M";
    }
    return size % 1_000 == 0 ? size / 1_000 + "k" : Long.toString(size);
  }
}
