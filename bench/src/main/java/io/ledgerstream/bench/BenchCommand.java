package io.ledgerstream.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.ledgerstream.bench.BenchSettings.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Measures the ledger against baselines taken in the same run on the same broker, and prints every ratio. */
@Command(name = "ledgerstream-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmark the ledger against baselines measured in the same run on the same broker: command "
        + "pipeline vs an exactly-once pass-through, vs PostgreSQL, latency at fixed rates, queries vs a static "
        + "route, projection rebuild vs a raw consumer, footprint and state restore.",
        "Starts its own embedded broker in a temporary directory unless --bootstrap-servers names an empty cluster. "
            + "See BENCHMARKS.md."})
public final class BenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /** The bench's own entry point: {@code java -jar bench/target/ledgerstream-bench.jar [options]}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Option(names = "--quick", description = "Small sizes: the whole run takes about two minutes.")
  boolean quick;

  @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
      description = "Scenarios to run, comma-separated: pipeline, postgres, latency, queries, rebuild, footprint, "
          + "failover, scale (default: all but scale).")
  List<String> scenarios;

  @Option(names = "--commands", paramLabel = "N",
      description = "Commands in the pipeline and PostgreSQL runs (default 200000; quick 20000).")
  Integer commands;

  @Option(names = "--mix-accounts", paramLabel = "N",
      description = "Accounts the commands go to, opened first (default 10000; quick 1000).")
  Integer mixAccounts;

  @Option(names = "--postgres-url", paramLabel = "JDBC-URL",
      description = "PostgreSQL to compare with; skipped when unreachable (default: "
          + BenchSettings.DEFAULT_POSTGRES_URL + ").")
  String postgresUrl;

  @Option(names = "--postgres-threads", paramLabel = "N",
      description = "Client threads against PostgreSQL (default 8).")
  Integer postgresThreads;

  @Option(names = "--latency-seconds", paramLabel = "SECONDS",
      description = "Seconds at each fixed rate (default 20; quick 4).")
  Integer latencySeconds;

  @Option(names = "--query-threads", paramLabel = "N", description = "Concurrent HTTP clients (default 8; quick 4).")
  Integer queryThreads;

  @Option(names = "--query-seconds", paramLabel = "SECONDS",
      description = "Measured seconds of each HTTP load (default 15; quick 4).")
  Integer querySeconds;

  @Option(names = "--rebuild-events", paramLabel = "N",
      description = "Events in the log rebuilt from (default 1000000; quick 100000).")
  Integer rebuildEvents;

  @Option(names = "--accounts", paramLabel = "N",
      description = "Accounts loaded for the footprint (default 1000000; quick 20000).")
  Integer accounts;

  @Option(names = "--scale", description = "Run the scaling runs only: the rebuild and the footprint at each "
      + "--scale-sizes (an hour or more at the default sizes).")
  boolean scale;

  @Option(names = "--scale-sizes", split = ",", paramLabel = "N",
      description = "Events rebuilt from and accounts restored in the scaling runs (default 100000,1000000,10000000; "
          + "quick 10000,100000).")
  List<Integer> scaleSizes;

  @Option(names = "--streams-config", paramLabel = "KEY=VALUE",
      description = "A Kafka Streams setting replacing the ledger's on the command side and its pass-through "
          + "baseline, e.g. commit.interval.ms=50 or producer.linger.ms=5; repeatable.")
  Map<String, String> streamsOverrides;

  @Option(names = "--failover-config", paramLabel = "KEY=VALUE",
      description = "A client setting of the two failover instances (their --config file), added to or replacing "
          + "the bench's session.timeout.ms=3000, heartbeat.interval.ms=1000 and transaction.timeout.ms=3000; "
          + "repeatable.")
  Map<String, String> failoverConfig;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the topics (default 6).")
  Integer partitions;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
      description = "An empty Kafka cluster to use instead of the embedded broker.")
  String bootstrapServers;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the embedded broker and local state live (default: a new "
      + "temporary directory, deleted afterwards).")
  Path dataDir;

  @Override
  public Integer call() {
    BenchSettings settings = settings();
    quietLogs();
    Path dir = dataDir != null ? dataDir : temporaryDirectory();
    Report report = new Report(spec.commandLine().getOut());
    report.note(String.format("ledgerstream bench: %d cores, Java %s, max heap %,d MiB, data in %s",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() / 1048576, dir));
    if (!settings.streamsOverrides().isEmpty()) {
      report.note("command side and pass-through settings replaced: " + settings.streamsOverrides());
    }
    try {
      Bench.run(settings, bootstrapServers, dir, report);
      return 0;
    } finally {
      if (dataDir == null) {
        FootprintScenario.delete(dir);
      }
    }
  }

  BenchSettings settings() {
    BenchSettings base = quick ? BenchSettings.QUICK : BenchSettings.FULL;
    try {
      return new BenchSettings(
          scale ? EnumSet.of(Scenario.SCALE) : scenarios == null ? base.scenarios() : scenarios(scenarios),
          or(commands, base.commands()),
          or(mixAccounts, base.mixAccounts()),
          or(partitions, base.partitions()),
          postgresUrl != null ? postgresUrl : base.postgresUrl(),
          or(postgresThreads, base.postgresThreads()),
          latencySeconds != null ? Duration.ofSeconds(latencySeconds) : base.latencyDuration(),
          or(queryThreads, base.queryThreads()),
          querySeconds != null ? Duration.ofSeconds(querySeconds) : base.queryDuration(),
          or(rebuildEvents, base.rebuildEvents()),
          or(accounts, base.footprintAccounts()),
          scaleSizes != null ? scaleSizes : base.scaleSizes(),
          streamsOverrides != null ? streamsOverrides : base.streamsOverrides(),
          failoverConfig != null ? failoverConfig : base.failoverConfig());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static Set<Scenario> scenarios(List<String> names) {
    Set<Scenario> chosen = EnumSet.noneOf(Scenario.class);
    for (String name : names) {
      try {
        chosen.add(Scenario.valueOf(name.trim().toUpperCase()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown scenario '" + name + "'; choose from "
            + EnumSet.allOf(Scenario.class).toString().toLowerCase());
      }
    }
    return chosen;
  }

  /**
   * Keeps the clients' and servers' routine warnings (retried transactions, a state directory under /tmp) out of the
   * report; errors still show.
   */
  private static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
      context.getLogger("io.ledgerstream").setLevel(Level.WARN);
    }
  }

  private static int or(Integer value, int fallback) {
    return value != null ? value : fallback;
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("ledgerstream-bench");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory", e);
    }
  }
}
