package io.ledgerstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.testing.TargetDirs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Runs {@code ledgerstream-bench --quick} with tiny sizes on its own embedded broker; checks what it reports, never how fast. */
class BenchSmokeTest {

  private static final List<String> RESULTS = List.of(
      "pipeline.ratio", "pipeline.ledger_commands_per_s", "pipeline.passthrough_records_per_s",
      "latency.p25_p50_ms", "latency.p50_p99_ms", "latency.p75_p999_ms",
      "queries.ratio", "queries.account_requests_per_s", "queries.static_requests_per_s", "queries.account_p99_ms",
      "rebuild.ratio", "rebuild.projections_events_per_s", "rebuild.raw_consumer_events_per_s",
      "rebuild.count_ratio", "rebuild.count_baseline_events_per_s", "rebuild.switch_seconds",
      "footprint.load_commands_per_s", "footprint.jvm_rss_mb", "footprint.heap_committed_mb", "footprint.broker_rss_mb",
      "footprint.restore_seconds", "footprint.restart_seconds", "footprint.restored_rss_mb",
      "footprint.jvm_rss_trimmed_mb",
      "failover.seconds",
      "scale.rebuild_200_seconds", "scale.rebuild_400_events_per_s", "scale.rss_200_mb", "scale.restore_400_seconds");

  @Test
  void tinyRunOfEveryScenarioReportsAPositiveNumberForEachAndSkipsAnUnreachablePostgres() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setOut(new PrintWriter(out, true));

    int exit = cli.execute("--quick", "--scenarios", "pipeline,postgres,latency,queries,rebuild,footprint,failover,scale",
        "--commands", "300", "--mix-accounts", "30", "--latency-seconds", "1",
        "--query-threads", "2", "--query-seconds", "1", "--rebuild-events", "500", "--accounts", "200",
        "--scale-sizes", "200,400",
        "--postgres-url", "jdbc:postgresql://127.0.0.1:1/none?user=nobody",
        "--data-dir", TargetDirs.fresh("bench-smoke").toString());

    String report = out.toString();
    assertThat(exit).as(report).isZero();
    assertThat(report).contains("== Command pipeline throughput", "== Against PostgreSQL", "== Latency",
        "== Queries", "== Projection rebuild", "== Footprint", "== Failover", "== Scaling", "== Results");
    Map<String, String> results = results(report);
    assertThat(results).as(report).containsKeys(RESULTS.toArray(String[]::new));
    for (String name : RESULTS) {
      double value = Double.parseDouble(results.get(name));
      assertThat(value).as(name).isFinite().isPositive();
    }
    assertThat(results).containsEntry("postgres", "skipped");
  }

  /** The {@code name = value} lines after the results heading. */
  private static Map<String, String> results(String report) {
    Map<String, String> results = new LinkedHashMap<>();
    String summary = report.substring(report.indexOf("== Results"));
    for (String line : summary.lines().skip(1).toList()) {
      String[] parts = line.split(" = ", 2);
      if (parts.length == 2) {
        results.put(parts[0].trim(), parts[1].trim());
      }
    }
    return results;
  }
}
