package io.ledgerstream.faults;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The commands of one run's load, as the bytes to send: accounts opened, deposits, withdrawals (some beyond the
 * balance), transfers between the run's accounts (some to missing or closed accounts, some in the wrong currency),
 * closes, commands that break a rule, and retries that send an earlier command again with the same command id.
 * Every key starts with the run's prefix, so the verifier can tell this run's records from any other's.
 */
public final class CommandMix {

  private static final int RETRYABLE = 200;

  private final String run;
  private final Topics topics;
  private final Random random;
  private final boolean transfers;
  private final List<String> accounts = new ArrayList<>();
  private final Map<String, String> currencies = new HashMap<>();
  private final List<RawRecord> recent = new ArrayList<>();
  private final Map<String, Long> sent = new TreeMap<>();
  private int nextAccount;
  private int nextTransfer;
  private int nextGhost;

  /**
   * @param run the prefix of every key this mix uses
   * @param transfers whether to request transfers (the command side runs the transfer worker)
   */
  public CommandMix(String run, Topics topics, long seed, boolean transfers) {
    this.run = run;
    this.topics = topics;
    this.random = new Random(seed);
    this.transfers = transfers;
  }

  public synchronized RawRecord next() {
    int roll = random.nextInt(100);
    RawRecord record;
    if (accounts.size() < 4 || roll < 8) {
      record = open();
    } else if (roll < 36) {
      record = account("deposit", anyAccount(), "DepositMoney", Map.of("amountMinor", amount(5000)), null);
    } else if (roll < 54) {
      record = account("withdrawal", anyAccount(), "WithdrawMoney", Map.of("amountMinor", amount(8000)), null);
    } else if (roll < 72 && transfers) {
      record = transfer();
    } else if (roll < 74) {
      record = account("close", anyAccount(), "CloseAccount", Map.of("reason", "faults"), null);
    } else if (roll < 80) {
      record = ruleBreaking();
    } else if (roll < 90 && !recent.isEmpty()) {
      record = recent.get(random.nextInt(recent.size()));
      count("retry");
      return record;
    } else {
      record = account("deposit", anyAccount(), "DepositMoney", Map.of("amountMinor", amount(3000)), null);
    }
    remember(record);
    return record;
  }

  /** An account of this run for poison to be keyed by, so poison lands amid the run's valid commands. */
  public synchronized String anyAccountOrNew() {
    return accounts.isEmpty() ? run + "-a" + nextAccount : anyAccount();
  }

  /** How many commands of each kind were produced so far. */
  public synchronized Map<String, Long> sent() {
    return Map.copyOf(sent);
  }

  private RawRecord open() {
    String id = run + "-a" + nextAccount++;
    String currency = random.nextInt(5) == 0 ? "USD" : "EUR";
    accounts.add(id);
    currencies.put(id, currency);
    return account("open", id, "OpenAccount", Map.of("owner", "owner-" + random.nextInt(10), "currency", currency,
        "overdraftLimitMinor", random.nextBoolean() ? 0L : 2000L), null);
  }

  private RawRecord transfer() {
    String from = anyAccount();
    int roll = random.nextInt(100);
    String to = roll < 5 ? ghost() : roll < 8 ? from : anyAccount();
    String currency = random.nextInt(10) == 0 ? other(currencies.get(from)) : currencies.get(from);
    String id = run + "-t" + nextTransfer++;
    SpecificRecord command = CommandFactory.envelope(TransferType.TYPE, "RequestTransfer",
        Map.of("from", from, "to", to, "amountMinor", amount(6000), "currency", currency), metadata(null));
    count("transfer");
    return RawRecord.of(Topics.TRANSFER_COMMANDS, id,
        topics.transferCommands.valueSerde().serializer().serialize(Topics.TRANSFER_COMMANDS, (TransferCommand) command));
  }

  /** A command that must be rejected (or, rarely, that happens to pass): rejections are results, not poison. */
  private RawRecord ruleBreaking() {
    String account = anyAccount();
    return switch (random.nextInt(6)) {
      case 0 -> account("deposit to a missing account", ghost(), "DepositMoney", Map.of("amountMinor", 100L), null);
      case 1 -> account("negative deposit", account, "DepositMoney", Map.of("amountMinor", -5L), null);
      case 2 -> account("invalid currency", run + "-bad" + nextGhost++, "OpenAccount",
          Map.of("owner", "nobody", "currency", "EURO"), null);
      case 3 -> account("stale expected version", account, "DepositMoney", Map.of("amountMinor", 10L), 1L);
      case 4 -> account("wrong currency", account, "WithdrawMoney",
          Map.of("amountMinor", 10L, "currency", other(currencies.get(account))), null);
      default -> account("open twice", account, "OpenAccount", Map.of("owner", "again", "currency", "EUR"), null);
    };
  }

  private RawRecord account(String kind, String accountId, String type, Map<String, ?> fields, Long expectedVersion) {
    SpecificRecord command = CommandFactory.envelope(AccountType.TYPE, type, fields, metadata(expectedVersion));
    count(kind);
    return RawRecord.of(Topics.ACCOUNT_COMMANDS, accountId,
        topics.accountCommands.valueSerde().serializer().serialize(Topics.ACCOUNT_COMMANDS, (AccountCommand) command));
  }

  private static io.ledgerstream.avro.CommandMetadata metadata(Long expectedVersion) {
    return CommandFactory.metadata(null, null, expectedVersion, "faults");
  }

  private void remember(RawRecord record) {
    if (recent.size() == RETRYABLE) {
      recent.remove(random.nextInt(RETRYABLE));
    }
    recent.add(record);
  }

  private void count(String kind) {
    sent.merge(kind, 1L, Long::sum);
  }

  private String anyAccount() {
    return accounts.get(random.nextInt(accounts.size()));
  }

  private String ghost() {
    return run + "-ghost" + nextGhost++;
  }

  private long amount(int max) {
    return 1 + random.nextInt(max);
  }

  private static String other(String currency) {
    return "EUR".equals(currency) ? "USD" : "EUR";
  }
}
