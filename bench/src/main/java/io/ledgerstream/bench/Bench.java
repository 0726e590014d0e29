package io.ledgerstream.bench;

import io.ledgerstream.bench.BenchSettings.Scenario;
import java.nio.file.Path;

/**
 * Runs the chosen scenarios on one cluster; later ones reuse the accounts and logs earlier ones left. The queries run
 * before the latency scenario, so the projections they need have fewer records to catch up on.
 */
final class Bench {

  private Bench() {
  }

  /**
   * @param bootstrapServers an empty external cluster, or null to start the embedded broker under {@code dataDir}
   */
  static void run(BenchSettings settings, String bootstrapServers, Path dataDir, Report report) {
    if (!needsKafka(settings)) {
      PostgresScenario.run(settings, report, null);
      report.summary();
      return;
    }
    try (BenchCluster cluster = BenchCluster.start(bootstrapServers, dataDir, settings.partitions(),
        settings.streamsOverrides())) {
      Double ledgerRate = null;
      if (settings.runs(Scenario.PIPELINE)) {
        ledgerRate = PipelineScenario.run(cluster, settings, report);
      }
      if (settings.runs(Scenario.POSTGRES)) {
        PostgresScenario.run(settings, report, ledgerRate);
      }
      if (settings.runs(Scenario.QUERIES)) {
        QueryScenario.run(cluster, settings, report);
      }
      if (settings.runs(Scenario.LATENCY)) {
        double max = ledgerRate != null ? ledgerRate : measureMax(cluster, settings);
        LatencyScenario.run(cluster, settings, report, max);
      }
      if (settings.runs(Scenario.REBUILD)) {
        RebuildScenario.run(cluster, settings, report);
      }
      if (settings.runs(Scenario.FOOTPRINT)) {
        FootprintScenario.run(cluster, settings, report);
      }
      if (settings.runs(Scenario.SCALE)) {
        ScaleScenario.run(cluster, settings, bootstrapServers == null ? dataDir : null, report);
      }
    }
    if (settings.runs(Scenario.FAILOVER)) {
      if (bootstrapServers == null) {
        FailoverScenario.run(dataDir, settings, report);
      } else {
        report.section("Failover", "");
        report.skipped("failover", "it needs a broker of its own, which the bench starts only without "
            + "--bootstrap-servers");
      }
    }
    report.summary();
  }

  private static boolean needsKafka(BenchSettings settings) {
    return settings.scenarios().stream().anyMatch(scenario -> scenario != Scenario.POSTGRES);
  }

  /** The latency scenario's reference when the pipeline scenario did not run: the same mix, timed quietly. */
  private static double measureMax(BenchCluster cluster, BenchSettings settings) {
    cluster.ensureMixAccounts(settings.mixAccounts());
    var commands = CommandMix.encode(cluster.topics(),
        CommandMix.mixed("max", settings.commands(), settings.mixAccounts()));
    return commands.size() / (Pipeline.sendAndAwaitResults(cluster, commands, "maximum rate") / 1e9);
  }
}
