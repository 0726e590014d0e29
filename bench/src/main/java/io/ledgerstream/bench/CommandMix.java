package io.ledgerstream.bench;

import io.ledgerstream.account.AccountBinding;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.domain.account.AccountCommand;
import io.ledgerstream.domain.account.AccountCommand.DepositMoney;
import io.ledgerstream.domain.account.AccountCommand.OpenAccount;
import io.ledgerstream.domain.account.AccountCommand.WithdrawMoney;
import io.ledgerstream.streams.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The bench's commands, the same for every system it measures: accounts opened first, then a seeded mix of
 * deposits and withdrawals over them in which withdrawals beyond the balance and zero amounts are rejected.
 */
final class CommandMix {

  private static final AccountBinding BINDING = AccountType.BINDING;

  static final String CURRENCY = "EUR";
  private static final long SEED = 20_240_601L;

  /** One command for one account, in domain terms; {@link #encode} makes the Kafka record. */
  record Command(String accountId, String commandId, AccountCommand command) {
  }

  private CommandMix() {
  }

  /** The id of the mix's account number {@code index}. */
  static String accountId(int index) {
    return accountId("acct", index);
  }

  static String accountId(String prefix, int index) {
    return String.format("%s-%07d", prefix, index);
  }

  /** OpenAccount for the mix's accounts {@code from} (inclusive) to {@code to} (exclusive). */
  static List<Command> opens(int from, int to) {
    return opens("acct", from, to);
  }

  /** OpenAccount for accounts {@code <prefix>-<n>}, n from {@code from} (inclusive) to {@code to} (exclusive). */
  static List<Command> opens(String prefix, int from, int to) {
    List<Command> opens = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      String accountId = accountId(prefix, i);
      opens.add(new Command(accountId, "open-" + accountId, new OpenAccount("owner-" + i % 997, CURRENCY, 0, null)));
    }
    return opens;
  }

  /**
   * {@code count} commands spread uniformly over {@code accounts} accounts: 55% deposits, 43% withdrawals of up to
   * twice the average deposit (rejected for insufficient funds while a balance is low), 2% zero-amount withdrawals
   * (rejected as invalid).
   *
   * @param run distinguishes the command ids of several mixes in one run
   */
  static List<Command> mixed(String run, int count, int accounts) {
    SplittableRandom random = new SplittableRandom(SEED);
    List<Command> commands = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String accountId = accountId(random.nextInt(accounts));
      int kind = random.nextInt(100);
      AccountCommand command;
      if (kind < 55) {
        command = new DepositMoney(1 + random.nextInt(10_000), null, "bench-" + i, "bench");
      } else if (kind < 98) {
        command = new WithdrawMoney(1 + random.nextInt(10_000), null, "bench-" + i, "bench");
      } else {
        command = new WithdrawMoney(0, null, "bench-" + i, "bench");
      }
      commands.add(new Command(accountId, commandId(run, i), command));
    }
    return commands;
  }

  /** Deposits only, one per account in turn, so every command leads to exactly one event. */
  static List<Command> deposits(String run, int count, int accounts) {
    List<Command> commands = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      commands.add(new Command(accountId(i % accounts), commandId(run, i), new DepositMoney(100, null, null, "bench")));
    }
    return commands;
  }

  static String commandId(String run, int index) {
    return run + "-" + index;
  }

  /** The index {@link #commandId} put into an id of this run, or -1 for another run's. */
  static int indexOf(String run, String commandId) {
    if (commandId == null || !commandId.startsWith(run + "-")) {
      return -1;
    }
    return Integer.parseInt(commandId.substring(run.length() + 1));
  }

  /** The commands as records for the account commands topic, Avro-encoded now so sending them costs no encoding. */
  static List<ProducerRecord<String, byte[]>> encode(Topics topics, List<Command> commands) {
    Serializer<io.ledgerstream.avro.AccountCommand> serializer = topics.accountCommands.valueSerde().serializer();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(commands.size());
    for (Command command : commands) {
      byte[] value = serializer.serialize(Topics.ACCOUNT_COMMANDS, envelope(command));
      records.add(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS, command.accountId(), value));
    }
    return records;
  }

  static io.ledgerstream.avro.AccountCommand envelope(Command command) {
    CommandMetadata metadata = CommandMetadata.newBuilder()
        .setCommandId(command.commandId())
        .setCorrelationId(null)
        .setCausationId(null)
        .setIssuedAt(Instant.now())
        .setIssuedBy("bench")
        .setExpectedVersion(null)
        .build();
    return BINDING.command(metadata, command.command());
  }
}
