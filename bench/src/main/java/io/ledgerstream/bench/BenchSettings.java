package io.ledgerstream.bench;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sizes and targets of one bench run.
 *
 * @param scenarios which scenarios to run
 * @param commands commands in the pipeline and PostgreSQL scenarios
 * @param mixAccounts accounts those commands go to, opened first
 * @param partitions partitions of every topic the bench creates
 * @param postgresUrl JDBC URL of the PostgreSQL server to compare with
 * @param postgresThreads client threads against PostgreSQL, one transaction per command each
 * @param latencyDuration how long each fixed rate of the latency scenario lasts
 * @param queryThreads concurrent HTTP clients
 * @param queryDuration how long each HTTP load lasts, after a warm-up of a fifth of it
 * @param rebuildEvents events in the log the projections are rebuilt from
 * @param footprintAccounts accounts loaded before measuring memory and state restore
 * @param scaleSizes the event and account counts the scaling runs measure the rebuild and the restore at
 * @param streamsOverrides Kafka Streams settings replacing the ledger's on the command side and its pass-through
 *     baseline, to try a tuning (e.g. {@code commit.interval.ms})
 */
public record BenchSettings(
    Set<Scenario> scenarios,
    int commands,
    int mixAccounts,
    int partitions,
    String postgresUrl,
    int postgresThreads,
    Duration latencyDuration,
    int queryThreads,
    Duration queryDuration,
    int rebuildEvents,
    int footprintAccounts,
    List<Integer> scaleSizes,
    Map<String, String> streamsOverrides,
    Map<String, String> failoverConfig) {

  public static final String DEFAULT_POSTGRES_URL =
      "jdbc:postgresql://localhost:5432/ledger?user=ledger&password=ledger";

  /** What runs without {@code --scenarios}: everything but the scaling runs, which take an hour. */
  public static final Set<Scenario> DEFAULT_SCENARIOS = EnumSet.complementOf(EnumSet.of(Scenario.SCALE));

  /** The defaults: sizes worth reporting, minutes per scenario on two cores. */
  public static final BenchSettings FULL = new BenchSettings(DEFAULT_SCENARIOS, 200_000, 10_000, 6,
      DEFAULT_POSTGRES_URL, 8, Duration.ofSeconds(20), 8, Duration.ofSeconds(15), 1_000_000, 1_000_000,
      List.of(100_000, 1_000_000, 10_000_000), Map.of(), Map.of());

  /** Sizes that finish the whole run in about two minutes; the numbers are rougher. */
  public static final BenchSettings QUICK = new BenchSettings(DEFAULT_SCENARIOS, 20_000, 1_000, 6,
      DEFAULT_POSTGRES_URL, 8, Duration.ofSeconds(4), 4, Duration.ofSeconds(4), 100_000, 20_000,
      List.of(10_000, 100_000), Map.of(), Map.of());

  public BenchSettings {
    scenarios = Set.copyOf(scenarios);
    positive("commands", commands);
    positive("mix accounts", mixAccounts);
    positive("partitions", partitions);
    positive("PostgreSQL threads", postgresThreads);
    positive("query threads", queryThreads);
    positive("rebuild events", rebuildEvents);
    positive("accounts", footprintAccounts);
    scaleSizes = List.copyOf(scaleSizes);
    scaleSizes.forEach(size -> positive("scale size", size));
    streamsOverrides = Map.copyOf(streamsOverrides);
    failoverConfig = Map.copyOf(failoverConfig);
    if (latencyDuration.toMillis() <= 0 || queryDuration.toMillis() <= 0) {
      throw new IllegalArgumentException("durations must be positive");
    }
  }

  public boolean runs(Scenario scenario) {
    return scenarios.contains(scenario);
  }

  private static void positive(String what, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }

  /** The scenarios, in the order they run. */
  public enum Scenario { PIPELINE, POSTGRES, LATENCY, QUERIES, REBUILD, FOOTPRINT, FAILOVER, SCALE }
}
