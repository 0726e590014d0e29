package io.ledgerstream.bench;

import io.ledgerstream.domain.Decision;
import io.ledgerstream.domain.account.Account;
import io.ledgerstream.domain.account.AccountDecider;
import io.ledgerstream.domain.account.AccountEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Scenario 1: commands through the command side until every result is readable, against an exactly-once
 * pass-through topology moving records of the same sizes on the same broker.
 */
final class PipelineScenario {

  static final String BASELINE_IN = "bench.passthrough.in";
  static final String BASELINE_OUT = "bench.passthrough.out";
  static final String BASELINE_APPLICATION_ID = "ledgerstream-bench-passthrough";

  private PipelineScenario() {
  }

  /** Runs both and returns the ledger's commands per second. */
  static double run(BenchCluster cluster, BenchSettings settings, Report report) {
    report.section("Command pipeline throughput", String.format("%,d commands over %,d accounts, %d partitions, "
            + "exactly_once_v2, commit.interval.ms=%s; time from the first send until every result is readable "
            + "read_committed", settings.commands(), settings.mixAccounts(), cluster.partitions(),
        cluster.commitIntervalMs()));
    cluster.ensureMixAccounts(settings.mixAccounts());
    // a first, unreported pass of each warms up the JIT, the broker's page cache and the applications' batching
    int warmUpCount = Math.max(1, settings.commands() / 10);
    List<CommandMix.Command> warmUp = CommandMix.deposits("warmup", warmUpCount, settings.mixAccounts());
    List<CommandMix.Command> mix = CommandMix.mixed("mix", settings.commands(), settings.mixAccounts());
    List<ProducerRecord<String, byte[]>> commands = CommandMix.encode(cluster.topics(), mix);

    double baseline = baseline(cluster, sameSizes(CommandMix.encode(cluster.topics(), warmUp)), sameSizes(commands));
    Pipeline.sendAndAwaitResults(cluster, CommandMix.encode(cluster.topics(), warmUp), "pipeline warm-up");
    long nanos = Pipeline.sendAndAwaitResults(cluster, commands, "pipeline");
    double ledger = commands.size() / (nanos / 1e9);
    report.value("pipeline.ledger_commands_per_s", "ledger command side", ledger, "commands/s");
    report.value("pipeline.passthrough_records_per_s", "pass-through baseline (EOS, same sizes)", baseline,
        "records/s");
    report.note(String.format("%,d of the commands were rejected; average command %,d bytes; each pass after a "
            + "warm-up pass of %,d", rejections(warmUp, mix), commands.stream().mapToInt(r -> r.value().length).sum()
            / commands.size(), warmUpCount));
    report.ratio("pipeline.ratio", "ratio ledger / pass-through", ledger / baseline);
    return ledger;
  }

  /** Runs the warm-up records, then times the measured ones, through {@code stream(in).to(out)}. */
  private static double baseline(BenchCluster cluster, List<ProducerRecord<String, byte[]>> warmUp,
                                 List<ProducerRecord<String, byte[]>> records) {
    cluster.createTopics(BASELINE_IN, BASELINE_OUT);
    KafkaStreams passThrough = BenchCluster.startStreams(passThroughTopology(),
        cluster.streamsConfig(BASELINE_APPLICATION_ID));
    try {
      Pipeline.sendAndAwait(cluster, warmUp, BASELINE_OUT, key -> true, false, "pass-through warm-up");
      long nanos = Pipeline.sendAndAwait(cluster, records, BASELINE_OUT, key -> true, false, "pass-through");
      return records.size() / (nanos / 1e9);
    } finally {
      BenchCluster.stop(passThrough);
    }
  }

  /** Records for the pass-through with the same keys as the commands and random values of the same sizes. */
  private static List<ProducerRecord<String, byte[]>> sameSizes(List<ProducerRecord<String, byte[]>> commands) {
    SplittableRandom random = new SplittableRandom(1);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(commands.size());
    for (ProducerRecord<String, byte[]> command : commands) {
      byte[] value = new byte[command.value().length];
      random.nextBytes(value);
      records.add(new ProducerRecord<>(BASELINE_IN, command.key(), value));
    }
    return records;
  }

  static Topology passThroughTopology() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(BASELINE_IN, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("passthrough-in"))
        .to(BASELINE_OUT, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("passthrough-out"));
    return builder.build();
  }

  /**
   * How many of the mix the account rules reject after the warm-up, replayed here in each account's order as the
   * ledger sees it.
   */
  static long rejections(List<CommandMix.Command> warmUp, List<CommandMix.Command> mix) {
    return rejections(concat(warmUp, mix)) - rejections(warmUp);
  }

  private static List<CommandMix.Command> concat(List<CommandMix.Command> first, List<CommandMix.Command> second) {
    List<CommandMix.Command> both = new ArrayList<>(first);
    both.addAll(second);
    return both;
  }

  private static long rejections(List<CommandMix.Command> mix) {
    AccountDecider decider = new AccountDecider();
    Map<String, Account> accounts = new HashMap<>();
    long rejected = 0;
    for (CommandMix.Command command : mix) {
      Account account = accounts.computeIfAbsent(command.accountId(),
          id -> decider.evolve(Account.NONE, new AccountEvent.AccountOpened("owner", CommandMix.CURRENCY, 0)));
      Decision<AccountEvent> decision = decider.decide(command.command(), account);
      if (decision instanceof Decision.Accepted<AccountEvent> accepted) {
        for (AccountEvent event : accepted.events()) {
          account = decider.evolve(account, event);
        }
        accounts.put(command.accountId(), account);
      } else {
        rejected++;
      }
    }
    return rejected;
  }
}
