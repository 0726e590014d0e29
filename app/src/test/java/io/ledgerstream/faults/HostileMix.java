package io.ledgerstream.faults;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.domain.RejectionCode;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.CommandInput;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferType;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What a hostile client sends beside the honest load, round by round: a command id reused for another account, for
 * another aggregate type and with another payload; every worker-only command type straight on the public topics; the
 * ids the transfer worker derives for a transfer's steps, used on public commands just after the transfer is requested
 * and long after; ids, owners and references with control characters or beyond their length; and honest commands
 * stamped days in the past or hours ahead, each sent again a round later. Each hostile command carries the refusal
 * the command side must answer it with.
 */
public final class HostileMix {

  static final String COMMAND_ID_REUSED = RejectionCode.COMMAND_ID_REUSED.name();
  static final String RESERVED_COMMAND_ID = RejectionCode.RESERVED_COMMAND_ID.name();

  static final Duration PAST = Duration.ofDays(3);
  static final Duration FUTURE = Duration.ofHours(5);
  private static final long FORGED_AMOUNT = 1_000_777;

  /**
   * One round. The client sends the bait and waits until it is answered, so that the reuses of its id come second
   * whatever partitions they travel through; then the honest commands, then the hostile ones.
   *
   * @param reuses hostile commands under the bait's command id
   * @param honest honest commands, each with the producer timestamp to send it with (null for now)
   * @param forged public commands under ids the transfer worker derives
   * @param hostile the other hostile commands: worker-only types, malformed input
   */
  public record Round(RawRecord bait, String baitCommandId, List<HostileRecord> reuses, List<Timed> honest,
                     List<HostileRecord> forged, List<HostileRecord> hostile) {

    /** Every hostile command of the round, in the order a client sends them. */
    public List<HostileRecord> allHostile() {
      List<HostileRecord> all = new ArrayList<>(reuses);
      all.addAll(forged);
      all.addAll(hostile);
      return all;
    }
  }

  /** A record and the producer timestamp to send it with; null for the producer's clock. */
  public record Timed(RawRecord record, Long timestamp) {}

  private final String run;
  private final Topics topics;
  private final CommandMix accounts;
  private final Random random;
  private final List<String> transfers = new ArrayList<>();
  private final Map<String, Long> sent = new TreeMap<>();
  private List<Timed> skewedLastRound = List.of();
  private int next;

  /** @param accounts the honest mix, whose accounts the hostile commands aim at */
  public HostileMix(String run, Topics topics, CommandMix accounts, long seed) {
    this.run = run;
    this.topics = topics;
    this.accounts = accounts;
    this.random = new Random(seed);
  }

  /** The next round, with producer timestamps taken relative to {@code nowMillis}. */
  public synchronized Round next(long nowMillis) {
    String account = accounts.anyAccountOrNew();
    String other = otherAccount(account);
    long amount = 1 + random.nextInt(900);
    String baitId = UUID.randomUUID().toString();
    RawRecord bait = command(AccountType.TYPE, account, "DepositMoney", Map.of("amountMinor", amount), baitId);
    List<HostileRecord> reuses = counted(List.of(
        hostile("id reused for another account", COMMAND_ID_REUSED,
            command(AccountType.TYPE, other, "DepositMoney", Map.of("amountMinor", amount), baitId)),
        hostile("id reused for another aggregate type", COMMAND_ID_REUSED,
            command(TransferType.TYPE, run + "-ht" + next++, "RequestTransfer", transferFields(account, other, amount),
                baitId)),
        hostile("id reused with another payload", COMMAND_ID_REUSED,
            command(AccountType.TYPE, account, "DepositMoney", Map.of("amountMinor", amount + 1), baitId))));

    List<Timed> honest = new ArrayList<>();
    String transfer = run + "-ht" + next++;
    honest.add(new Timed(command(TransferType.TYPE, transfer, "RequestTransfer",
        transferFields(account, other, 1 + random.nextInt(300)), null), null));
    count("transfer requested");
    honest.addAll(skewed(nowMillis, account, other));

    List<HostileRecord> forged = new ArrayList<>(forgedStepIds(transfer, account, other, "before"));
    if (transfers.size() > 3) {
      forged.addAll(forgedStepIds(transfers.get(random.nextInt(transfers.size() - 3)), account, other, "after"));
    }
    List<HostileRecord> hostile = new ArrayList<>(workerOnly(transfer, account));
    hostile.addAll(malformed(account));
    transfers.add(transfer);
    return new Round(bait, baitId, reuses, honest, forged, hostile);
  }

  /** How many commands of each kind were produced so far. */
  public synchronized Map<String, Long> sent() {
    return Map.copyOf(sent);
  }

  /** Every worker-only command type of every registered aggregate type, on its public topic. */
  private List<HostileRecord> workerOnly(String transfer, String account) {
    List<HostileRecord> forged = new ArrayList<>();
    for (AggregateType<?, ?, ?> type : topics.types()) {
      String key = type.name().equals(TransferType.TYPE.name()) ? transfer : account;
      for (String commandType : type.commandTypes()) {
        if (type.isWorkerOnly(commandType)) {
          forged.add(hostile("worker-only " + commandType, RejectionCode.RESERVED_COMMAND.name(),
              command(type, key, commandType, forgedFields(type, commandType, transfer, account), null)));
        }
      }
    }
    return counted(forged);
  }

  /**
   * Public commands under the ids the worker derives for a few of a transfer's steps: deposits to the destination
   * and requests of another transfer for nothing (the two forgeries issue 10 found).
   */
  private List<HostileRecord> forgedStepIds(String transfer, String from, String to, String when) {
    List<HostileRecord> forged = new ArrayList<>();
    TransferProcess.Step[] steps = TransferProcess.Step.values();
    for (int i = 0; i < 3; i++) {
      TransferProcess.Step step = steps[random.nextInt(steps.length)];
      String id = TransferWorkerTopology.commandId(transfer, step);
      RawRecord record = random.nextBoolean()
          ? command(AccountType.TYPE, to, "DepositMoney", Map.of("amountMinor", 500L), id)
          : command(TransferType.TYPE, run + "-ht" + next++, "RequestTransfer", transferFields(from, to, 0), id);
      forged.add(hostile("worker's " + step + " id " + when + " the worker uses it", RESERVED_COMMAND_ID, record));
    }
    return counted(forged);
  }

  /** Ids, owners and references no command may carry, in a few of their many forms. */
  private List<HostileRecord> malformed(String account) {
    String tooLong = "x".repeat(CommandInput.MAX_ID_LENGTH + 1);
    String invalid = RejectionCode.INVALID_INPUT.name();
    List<HostileRecord> all = List.of(
        hostile("NUL in an owner", invalid, command(AccountType.TYPE, run + "-hm" + next++, "OpenAccount",
            Map.of("owner", "owner\u0000" + run, "currency", "EUR"), null)),
        hostile("owner beyond its length", invalid, command(AccountType.TYPE, run + "-hm" + next++, "OpenAccount",
            Map.of("owner", tooLong, "currency", "EUR"), null)),
        hostile("NUL in an account id", invalid, command(AccountType.TYPE, account + "\u0000x", "DepositMoney",
            Map.of("amountMinor", FORGED_AMOUNT), null)),
        hostile("account id beyond its length", invalid, command(AccountType.TYPE, run + "-" + tooLong,
            "DepositMoney", Map.of("amountMinor", FORGED_AMOUNT), null)),
        hostile("newline in a reference", invalid, command(AccountType.TYPE, account, "DepositMoney",
            Map.of("amountMinor", FORGED_AMOUNT, "reference", "paid\nINFO forged log line"), null)),
        hostile("NUL in a command id", invalid, command(AccountType.TYPE, account, "DepositMoney",
            Map.of("amountMinor", FORGED_AMOUNT), UUID.randomUUID() + "\u0000" + run)),
        hostile("command id beyond its length", invalid, command(AccountType.TYPE, account, "DepositMoney",
            Map.of("amountMinor", FORGED_AMOUNT), tooLong)),
        hostile("NUL in a transfer's account", invalid, command(TransferType.TYPE, run + "-ht" + next++,
            "RequestTransfer", transferFields(account + "\u0000", otherAccount(account), FORGED_AMOUNT), null)));
    List<HostileRecord> some = new ArrayList<>(all);
    Collections.shuffle(some, random);
    return counted(some.subList(0, 3));
  }

  /**
   * Honest deposits stamped days ago and hours ahead, and last round's sent again with the other skew: each must be
   * processed once and its copy answered from memory.
   */
  private List<Timed> skewed(long nowMillis, String account, String other) {
    List<Timed> honest = new ArrayList<>();
    skewedLastRound.forEach(earlier -> honest.add(new Timed(earlier.record(),
        earlier.timestamp() < nowMillis ? nowMillis + FUTURE.toMillis() : nowMillis - PAST.toMillis())));
    List<Timed> skewed = List.of(
        new Timed(command(AccountType.TYPE, account, "DepositMoney", Map.of("amountMinor", 77L), null),
            nowMillis - PAST.toMillis()),
        new Timed(command(AccountType.TYPE, other, "DepositMoney", Map.of("amountMinor", 78L), null),
            nowMillis + FUTURE.toMillis()));
    count("stamped days ago or hours ahead", skewed.size());
    count("stamped days ago or hours ahead, sent again", honest.size());
    honest.addAll(skewed);
    skewedLastRound = skewed;
    return honest;
  }

  /** Values for a worker-only command's required fields, read from its schema: large amounts, this run's ids. */
  private static Map<String, Object> forgedFields(AggregateType<?, ?, ?> type, String commandType, String transfer,
                                                  String account) {
    Map<String, Object> fields = new HashMap<>();
    CommandFactory.fieldsOf(type, commandType).forEach((name, description) -> {
      if (description.endsWith("(optional)")) {
        return;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      Object value = lower.contains("amount") ? FORGED_AMOUNT
          : lower.contains("currency") ? "EUR"
          : lower.equals("transferid") ? transfer
          : lower.contains("account") ? account
          : lower.equals("refunded") ? "false"
          : "forged-" + name;
      fields.put(name, value.toString());
    });
    return fields;
  }

  private static Map<String, Object> transferFields(String from, String to, long amount) {
    return Map.of("from", from, "to", to, "amountMinor", amount, "currency", "EUR");
  }

  private String otherAccount(String account) {
    for (int i = 0; i < 5; i++) {
      String other = accounts.anyAccountOrNew();
      if (!other.equals(account)) {
        return other;
      }
    }
    return run + "-hb" + next++;
  }

  private static HostileRecord hostile(String kind, String code, RawRecord record) {
    return new HostileRecord(kind, record, code);
  }

  @SuppressWarnings("unchecked")
  private RawRecord command(AggregateType<?, ?, ?> type, String key, String commandType, Map<String, ?> fields,
                            String commandId) {
    CommandMetadata metadata = CommandFactory.metadata(commandId, null, null, "hostile");
    SpecificRecord envelope = CommandFactory.envelope(type, commandType, fields, metadata);
    Topic<String, ?> topic = topics.of(type.name()).commands();
    Serializer<SpecificRecord> serializer = (Serializer<SpecificRecord>) topic.valueSerde().serializer();
    return RawRecord.of(topic.name(), key, serializer.serialize(topic.name(), envelope));
  }

  private List<HostileRecord> counted(List<HostileRecord> records) {
    records.forEach(record -> count(record.kind().startsWith("worker's") ? "worker's step id" : record.kind()));
    return records;
  }

  private void count(String kind) {
    count(kind, 1);
  }

  private void count(String kind, long times) {
    if (times > 0) {
      sent.merge(kind, times, Long::sum);
    }
  }
}
