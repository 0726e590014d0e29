package io.ledgerstream.cli;

import io.ledgerstream.Ledger;
import io.ledgerstream.node.NodeSettings;
import io.ledgerstream.streams.ConsumerLag;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.replay.ShadowReplay;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs a shadow replay of the recorded commands into prefixed topics. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Shadow replay: run the command side over the recorded commands (ledger.*.commands from the "
        + "beginning) under its own application id and state, writing events, snapshots, results and dead letters "
        + "to topics named <prefix><topic>. Production is not touched. Compare with `diff --prefix <prefix>`.")
final class ReplayCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--to-topic-prefix", required = true, paramLabel = "PREFIX",
      description = "Prefix of the topics the replay writes, e.g. shadow1. (letters, digits, '.', '_', '-').")
  String prefix;

  @Option(names = "--data-dir", defaultValue = NodeSettings.DEFAULT_DATA_DIR,
      description = "The replay keeps its local state under <data-dir>/replay (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--replication-factor", description = "Replication of the topics it creates (default: the broker's).")
  Short replicationFactor;

  @Mixin
  CommandSideOptions commandSide;

  @Override
  public Integer call() {
    ShadowReplay.Settings settings = new ShadowReplay.Settings(prefix, connection.kafkaProperties(),
        new RegistryRecordSerdes(connection.registry(), true), Ledger.AGGREGATE_TYPES, dataDir.resolve("replay"),
        replicationFactor != null ? replicationFactor : -1, commandSide.config());
    ShadowReplay.Outcome outcome = ShadowReplay.run(settings, ReplayCommand::progress);
    System.err.println();
    if (outcome.horizon().cutsHistory()) {
      System.out.println(outcome.horizon().note());
    }
    System.out.printf(Locale.ROOT,
        "replayed %,d recorded commands as %s in %.1f s into %s*; compare with: diff --prefix %s%n", outcome.commands(),
        outcome.applicationId(), outcome.took().toMillis() / 1000.0, prefix, prefix);
    return 0;
  }

  private static void progress(ConsumerLag lag) {
    System.err.printf(Locale.ROOT, "\rreplayed %,d/%,d commands", lag.done(), lag.total());
  }
}
