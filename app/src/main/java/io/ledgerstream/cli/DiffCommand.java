package io.ledgerstream.cli;

import io.ledgerstream.Ledger;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.replay.DiffReport;
import io.ledgerstream.streams.replay.ShadowDiff;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Compares a shadow replay's output with production's and prints what differs. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Compare a shadow replay (see replay) with production: per aggregate the event types and payloads "
        + "at every version (the first differing version), the latest snapshots, and every command's result.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:identical", "1:different", "2:usage, or no such shadow replay"})
final class DiffCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--prefix", required = true, paramLabel = "PREFIX",
      description = "The prefix the shadow replay wrote to (its --to-topic-prefix).")
  String prefix;

  @Override
  public Integer call() {
    DiffReport report;
    try {
      report = ShadowDiff.compare(connection.kafkaProperties(), new RegistryRecordSerdes(connection.registry(), false),
          Ledger.AGGREGATE_TYPES, prefix);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    System.out.print(report.render());
    return report.identical() ? 0 : 1;
  }
}
