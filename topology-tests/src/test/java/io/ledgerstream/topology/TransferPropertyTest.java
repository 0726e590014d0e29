package io.ledgerstream.topology;

import static io.ledgerstream.topology.Commands.close;
import static io.ledgerstream.topology.Commands.deposit;
import static io.ledgerstream.topology.Commands.open;
import static io.ledgerstream.topology.Commands.withdraw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.DepositMoney;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.MoneyWithdrawn;
import io.ledgerstream.avro.RequestTransfer;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.avro.TransferDebited;
import io.ledgerstream.avro.TransferRefunded;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.domain.RejectionCode;
import io.ledgerstream.domain.transfer.TransferProcess.Cause;
import io.ledgerstream.domain.transfer.TransferProcess.Progress;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.transfer.TransferType;
import io.ledgerstream.transfer.worker.TransferDeadlines;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random opens, deposits, withdrawals, closes and transfers through the real command side and transfer worker,
 * checked after every step against the ledger's invariants and against a small model of the account rules.
 *
 * <p>Transfers do not all run to their end at once. Two accounts have ids so long that a worker leg naming one as
 * its counterparty is too large for the command side, which dead-letters it each time it is sent: a transfer to one
 * of them stays requested until the worker gives its debit up, a transfer from one stays debited, with its money in
 * flight, until the worker gives its credit up and refunds it. Meanwhile the test goes on with requests, deposits,
 * withdrawals and closes on the same accounts and moves the wall clock on, and now and then sets the worker's
 * progress of a finished transfer back, as if the results that moved it had been lost, so its deadline sends the
 * steps again.
 *
 * <p>A hostile client's commands come in between: every worker-only command type straight on the public topics, ids,
 * owners and references no command may carry, the ids the transfer worker derives for a transfer's steps (before and
 * after the worker uses them), and honest commands' ids used again for another aggregate, another aggregate type or
 * another payload. Each must be refused with its code and change nothing, which the
 * model and the invariants, checked after every step, hold. (Commands stamped days ago or hours ahead are left to the
 * fault tests: the broker restamps them, which the test driver does not.)
 */
class TransferPropertyTest {

  private static final int ACCOUNTS = 10;
  private static final int STEPS = 300;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_TRIES = 3;
  private static final int MAX_COMMAND_BYTES = 297;
  private static final List<String> SLOW = List.of("L-0-" + "l".repeat(153), "L-1-" + "l".repeat(153));
  private static final List<String> CURRENCIES = List.of("EUR", "EUR", "EUR", "USD");
  private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
  private static final long FORGED_AMOUNT = 1_000_777;
  private static final String COMMAND_ID_REUSED = RejectionCode.COMMAND_ID_REUSED.name();
  private static final String RESERVED_COMMAND_ID = RejectionCode.RESERVED_COMMAND_ID.name();

  /** What the test expects of one account, by the rules as the test understands them. */
  private record Expected(String currency, long overdraftMinor, long balanceMinor, boolean closed,
                          Set<String> inFlight) {
    Expected withBalance(long balance) {
      return new Expected(currency, overdraftMinor, balance, closed, inFlight);
    }
  }

  /** An honest command as sent: its id and the aggregate it went to. */
  private record Sent(String commandId, AggregateType<?, ?, ?> type, String key) {
  }

  /** What the test expects of one transfer now: its status, and why it failed. */
  private record Outcome(TransferStatus status, String failureCode, boolean refunded) {
  }

  /** A transfer the worker cannot finish until it gives a leg up: its source and amount, and whether it debited. */
  private record Slow(String from, long amountMinor, boolean debited) {
  }

  private final Map<String, Expected> model = new HashMap<>();
  private final Map<String, Outcome> expectedTransfers = new HashMap<>();
  private final Map<String, Slow> slowTransfers = new HashMap<>();
  private final Set<String> rewound = new HashSet<>();
  private final Map<String, AccountState> accounts = new HashMap<>();
  private final Map<String, TransferState> transfers = new HashMap<>();
  private final List<AccountEvent> accountEvents = new ArrayList<>();
  private final Map<String, CommandResult> results = new HashMap<>();
  private final Map<String, Integer> refusals = new HashMap<>();
  private final List<Sent> honest = new ArrayList<>();
  private Random random;
  private CommandSideDriver app;
  private Instant clock = T0;

  @ParameterizedTest
  @ValueSource(longs = {1, 7, 42, 1_000, 20_260_401})
  void moneyIsConservedAndEveryTransferEndsAsTheRulesSayWhateverAHostileClientSends(long seed) {
    random = new Random(seed);
    try (CommandSideDriver driver = new CommandSideDriver(new CommandSideConfig(Duration.ofDays(7),
        MAX_COMMAND_BYTES), new TransferDeadlines(STEP_TIMEOUT, MAX_TRIES))) {
      app = driver;
      for (int step = 0; step < STEPS; step++) {
        randomStep(step);
        if (random.nextBoolean()) {
          app.driver.advanceWallClockTime(STEP_TIMEOUT.dividedBy(4));
        }
        collect();
        assertInvariants("seed " + seed + ", step " + step);
      }
      for (int i = 0; i < (MAX_TRIES + 1) * 4; i++) {
        app.driver.advanceWallClockTime(STEP_TIMEOUT.dividedBy(4));
        collect();
        assertInvariants("seed " + seed + ", after the steps");
      }
      assertThat(expectedTransfers).hasSizeGreaterThan(STEPS / 5);
      assertThat(expectedTransfers.values()).extracting(Outcome::status, Outcome::failureCode, Outcome::refunded)
          .contains(
              tuple(TransferStatus.COMPLETED, null, false),
              tuple(TransferStatus.FAILED, "INSUFFICIENT_FUNDS", false),
              tuple(TransferStatus.FAILED, TransferProcess.TIMED_OUT, false),
              tuple(TransferStatus.FAILED, TransferProcess.TIMED_OUT, true));
      assertThat(slowTransfers.values()).anyMatch(Slow::debited);
      assertThat(refusals).containsKeys(RejectionCode.RESERVED_COMMAND.name(), RejectionCode.INVALID_INPUT.name(), COMMAND_ID_REUSED, RESERVED_COMMAND_ID);
      assertThat(rewound).isNotEmpty();
      assertEveryTransferFinished();
      assertEveryTransferMovedMoneyOnceOrNotAtAll();
    }
  }

  private void randomStep(int step) {
    String accountId = randomAccount();
    int dice = random.nextInt(100);
    if (step < SLOW.size() && !model.containsKey(SLOW.get(step))) {
      openAccount(SLOW.get(step));
    } else if (dice < 8 || (step < ACCOUNTS && !model.containsKey("A-" + step))) {
      openAccount(step < ACCOUNTS ? "A-" + step : "A-" + random.nextInt(ACCOUNTS));
    } else if (dice < 11) {
      rewindAFinishedTransfer();
    } else if (dice < 30) {
      depositMoney(accountId, 1 + random.nextInt(1_000));
    } else if (dice < 42) {
      withdrawMoney(accountId, 1 + random.nextInt(800));
    } else if (dice < 47) {
      closeAccount(accountId, random.nextBoolean());
    } else if (dice < 57) {
      hostileCommand(step, accountId);
    } else {
      String to = randomAccount();
      if (SLOW.contains(accountId) && SLOW.contains(to)) {
        to = "A-" + random.nextInt(ACCOUNTS + 1);
      }
      Expected from = model.get(accountId);
      String currency = from != null && random.nextInt(10) > 0 ? from.currency() : CURRENCIES.get(random.nextInt(4));
      requestTransfer("T-" + step, accountId, to, 1 + random.nextInt(700), currency);
    }
  }

  private void openAccount(String accountId) {
    String currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
    long overdraft = random.nextInt(3) * 150L;
    boolean accepted = !model.containsKey(accountId);
    send(accountId, open("owner-" + accountId, currency, overdraft), accepted);
    if (accepted) {
      model.put(accountId, new Expected(currency, overdraft, 0, false, Set.of()));
    }
  }

  private void depositMoney(String accountId, long amount) {
    Expected account = model.get(accountId);
    boolean accepted = isOpen(account);
    send(accountId, deposit(amount), accepted);
    if (accepted) {
      model.put(accountId, account.withBalance(account.balanceMinor() + amount));
    }
  }

  private void withdrawMoney(String accountId, long amount) {
    Expected account = model.get(accountId);
    boolean accepted = isOpen(account) && account.balanceMinor() - amount >= -account.overdraftMinor();
    send(accountId, withdraw(amount), accepted);
    if (accepted) {
      model.put(accountId, account.withBalance(account.balanceMinor() - amount));
    }
  }

  private void closeAccount(String accountId, boolean settleFirst) {
    Expected account = model.get(accountId);
    if (settleFirst && isOpen(account) && account.balanceMinor() > 0) {
      withdrawMoney(accountId, account.balanceMinor());
    } else if (settleFirst && isOpen(account) && account.balanceMinor() < 0) {
      depositMoney(accountId, -account.balanceMinor());
    }
    account = model.get(accountId);
    boolean accepted = isOpen(account) && account.balanceMinor() == 0 && account.inFlight().isEmpty();
    AccountCommand close = close();
    send(accountId, close, accepted);
    if (accepted) {
      model.put(accountId, new Expected(account.currency(), account.overdraftMinor(), 0, true, Set.of()));
    } else if (isOpen(account) && account.balanceMinor() == 0) {
      assertThat(rejectionOf(close)).isEqualTo("TRANSFERS_IN_FLIGHT");
    }
  }

  private void requestTransfer(String transferId, String fromId, String toId, long amount, String currency) {
    TransferCommand request = new TransferCommand(Commands.metadata(UUID.randomUUID().toString()),
        new RequestTransfer(fromId, toId, amount, currency));
    app.transferCommands.pipeInput(transferId, request, tick());
    honest.add(new Sent(request.getMetadata().getCommandId(), TransferType.TYPE, transferId));
    boolean accepted = !fromId.equals(toId);
    assertThat(resultOf(request.getMetadata().getCommandId()).getStatus())
        .isEqualTo(accepted ? CommandStatus.ACCEPTED : CommandStatus.REJECTED);
    if (!accepted) {
      return;
    }
    Expected from = model.get(fromId);
    Expected to = model.get(toId);
    String debitRejection = rejectionOfLeg(from, currency);
    if (debitRejection == null && from.balanceMinor() - amount < -from.overdraftMinor()) {
      debitRejection = "INSUFFICIENT_FUNDS";
    }
    String creditRejection = rejectionOfLeg(to, currency);
    if (SLOW.contains(toId)) {
      // the debit names the destination: the command side never takes it
      expectedTransfers.put(transferId, new Outcome(TransferStatus.REQUESTED, null, false));
      slowTransfers.put(transferId, new Slow(fromId, amount, false));
    } else if (debitRejection == null && SLOW.contains(fromId)) {
      // the credit names the source: the money stays in flight until the worker gives the credit up
      expectedTransfers.put(transferId, new Outcome(TransferStatus.DEBITED, null, false));
      slowTransfers.put(transferId, new Slow(fromId, amount, true));
      Set<String> inFlight = new HashSet<>(from.inFlight());
      inFlight.add(transferId);
      model.put(fromId, new Expected(from.currency(), from.overdraftMinor(), from.balanceMinor() - amount, false,
          inFlight));
    } else if (debitRejection != null) {
      expectedTransfers.put(transferId, new Outcome(TransferStatus.FAILED, debitRejection, false));
    } else if (creditRejection != null) {
      expectedTransfers.put(transferId, new Outcome(TransferStatus.FAILED, creditRejection, true));
    } else {
      expectedTransfers.put(transferId, new Outcome(TransferStatus.COMPLETED, null, false));
      model.put(fromId, from.withBalance(from.balanceMinor() - amount));
      model.put(toId, to.withBalance(to.balanceMinor() + amount));
    }
  }

  private static String rejectionOfLeg(Expected account, String currency) {
    if (account == null) {
      return "ACCOUNT_NOT_FOUND";
    }
    if (account.closed()) {
      return "ACCOUNT_CLOSED";
    }
    return account.currency().equals(currency) ? null : "CURRENCY_MISMATCH";
  }

  /**
   * Sets the worker's progress of a finished transfer back to its first step, due at once, as if the results that
   * moved it on had never reached the worker: its deadline sends each step again, the command side answers each from
   * its memory, and no money moves.
   */
  private void rewindAFinishedTransfer() {
    KeyValueStore<String, Progress> progress = app.driver.getKeyValueStore(TransferWorkerTopology.STORE);
    List<String> finished = expectedTransfers.keySet().stream().sorted()
        .filter(transferId -> !slowTransfers.containsKey(transferId))
        .filter(transferId -> progress.get(transferId) != null && progress.get(transferId).isFinished())
        .toList();
    if (finished.isEmpty()) {
      return;
    }
    String transferId = finished.get(random.nextInt(finished.size()));
    Progress done = progress.get(transferId);
    progress.put(transferId, new Progress(done.from(), done.to(), done.amountMinor(), done.currency(), Step.DEBIT,
        null, null, null, 1, new Cause("rewound", transferId, clock.toEpochMilli())));
    app.driver.<String, Long>getKeyValueStore(TransferWorkerTopology.DEADLINES_STORE).put(transferId, 0L);
    rewound.add(transferId);
  }

  /** One command of a hostile client, refused with its code: the model does not change. */
  private void hostileCommand(int step, String accountId) {
    String transferId = expectedTransfers.isEmpty() || random.nextBoolean() ? "T-" + (step + 1)
        : expectedTransfers.keySet().stream().sorted().toList().get(random.nextInt(expectedTransfers.size()));
    int kind = random.nextInt(5);
    if (kind == 3) {
      forgedWorkerId(step, accountId, transferId);
    } else if (kind == 4 && !honest.isEmpty()) {
      reusedId(step, accountId);
    } else if (kind < 2) {
      AggregateType<?, ?, ?> type = kind == 0 ? AccountType.TYPE : TransferType.TYPE;
      List<String> workerOnly = type.commandTypes().stream().filter(type::isWorkerOnly).toList();
      String commandType = workerOnly.get(random.nextInt(workerOnly.size()));
      refused(type, type == AccountType.TYPE ? accountId : transferId,
          CommandFactory.envelope(type, commandType, forgedFields(type, commandType, transferId, accountId),
              Commands.metadata(UUID.randomUUID().toString())), RejectionCode.RESERVED_COMMAND.name());
    } else {
      String nul = "\u0000";
      SpecificRecord malformed = switch (random.nextInt(3)) {
        case 0 -> Commands.command(new DepositMoney(FORGED_AMOUNT, "paid" + nul, null, null));
        case 1 -> open("owner" + nul + accountId, "EUR", 0);
        default -> Commands.withCommandId(deposit(FORGED_AMOUNT), UUID.randomUUID() + nul);
      };
      refused(AccountType.TYPE, random.nextInt(4) == 0 ? accountId + nul : accountId, malformed, RejectionCode.INVALID_INPUT.name());
    }
  }

  /** A public command under the id the worker derives for one of a transfer's steps, before or after it uses it. */
  private void forgedWorkerId(int step, String accountId, String transferId) {
    Step[] steps = Step.values();
    String commandId = TransferWorkerTopology.commandId(transferId, steps[random.nextInt(steps.length)]);
    if (random.nextBoolean()) {
      refused(AccountType.TYPE, accountId, Commands.withCommandId(deposit(500), commandId), RESERVED_COMMAND_ID);
    } else {
      refused(TransferType.TYPE, "X-" + step, new TransferCommand(Commands.metadata(commandId),
          new RequestTransfer(shortAccount(), shortAccount(), 0L, "EUR")), RESERVED_COMMAND_ID);
    }
  }

  /** An honest command's id used again: for another aggregate of its type, for the other type, or for another payload. */
  private void reusedId(int step, String accountId) {
    Sent earlier = honest.get(random.nextInt(honest.size()));
    boolean account = earlier.type() == AccountType.TYPE;
    switch (random.nextInt(3)) {
      case 0 -> {
        if (account) {
          String other = earlier.key().equals(accountId) ? accountId + "-other" : accountId;
          refused(AccountType.TYPE, other, Commands.withCommandId(deposit(FORGED_AMOUNT), earlier.commandId()),
              COMMAND_ID_REUSED);
        } else {
          refused(TransferType.TYPE, "X-" + step, transferRequest(earlier.commandId(), accountId, 1), COMMAND_ID_REUSED);
        }
      }
      case 1 -> {
        if (account) {
          refused(TransferType.TYPE, "X-" + step, transferRequest(earlier.commandId(), accountId, 1), COMMAND_ID_REUSED);
        } else {
          refused(AccountType.TYPE, accountId, Commands.withCommandId(deposit(FORGED_AMOUNT), earlier.commandId()),
              COMMAND_ID_REUSED);
        }
      }
      default -> {
        SpecificRecord changed = account ? Commands.withCommandId(deposit(FORGED_AMOUNT), earlier.commandId())
            : transferRequest(earlier.commandId(), accountId, FORGED_AMOUNT);
        refused(earlier.type(), earlier.key(), changed, COMMAND_ID_REUSED);
      }
    }
  }

  private TransferCommand transferRequest(String commandId, String from, long amount) {
    String source = SLOW.contains(from) ? shortAccount() : from;
    return new TransferCommand(Commands.metadata(commandId), new RequestTransfer(source, shortAccount(), amount, "EUR"));
  }

  /** An account whose id leaves a transfer request between two of them below the command size limit. */
  private String shortAccount() {
    return "A-" + random.nextInt(ACCOUNTS + 1);
  }

  /** Sends a command a client may not send and checks it has one result of its own, refused with {@code code}. */
  private void refused(AggregateType<?, ?, ?> type, String key, SpecificRecord command, String code) {
    String commandId = ((CommandMetadata) command.get(0)).getCommandId();
    if (type == AccountType.TYPE) {
      app.accountCommands.pipeInput(key, (AccountCommand) command, tick());
    } else {
      app.transferCommands.pipeInput(key, (TransferCommand) command, tick());
    }
    List<CommandResult> own = new ArrayList<>();
    app.results.readValuesToList().forEach(result -> {
      if (result.getCommandId().equals(commandId) && result.getAggregateId().equals(key)) {
        own.add(result);
      } else {
        results.put(result.getCommandId(), result);
      }
    });
    assertThat(own).as("results of %s %s on %s", type.name(), command.get(1).getClass().getSimpleName(), key)
        .singleElement().satisfies(result -> {
          assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
          assertThat(result.getRejection().getCode()).isEqualTo(code);
          assertThat(result.getEventIds()).isEmpty();
        });
    refusals.merge(code, 1, Integer::sum);
  }

  /** Values for a worker-only command's required fields, read from its schema: a large amount, existing ids. */
  private static Map<String, Object> forgedFields(AggregateType<?, ?, ?> type, String commandType, String transferId,
                                                  String accountId) {
    Map<String, Object> fields = new HashMap<>();
    CommandFactory.fieldsOf(type, commandType).forEach((name, description) -> {
      if (!description.endsWith("(optional)")) {
        String lower = name.toLowerCase(Locale.ROOT);
        fields.put(name, lower.contains("amount") ? Long.toString(FORGED_AMOUNT) : lower.contains("currency") ? "EUR"
            : lower.equals("transferid") ? transferId : lower.contains("account") ? accountId
            : lower.equals("refunded") ? "true" : "forged-" + name);
      }
    });
    return fields;
  }

  private String randomAccount() {
    return random.nextInt(100) < 15 ? SLOW.get(random.nextInt(SLOW.size())) : "A-" + random.nextInt(ACCOUNTS + 1);
  }

  private String rejectionOf(AccountCommand command) {
    CommandResult result = results.get(command.getMetadata().getCommandId());
    return result.getRejection() == null ? null : result.getRejection().getCode();
  }

  private void send(String accountId, AccountCommand command, boolean accepted) {
    app.accountCommands.pipeInput(accountId, command, tick());
    honest.add(new Sent(command.getMetadata().getCommandId(), AccountType.TYPE, accountId));
    assertThat(resultOf(command.getMetadata().getCommandId()).getStatus())
        .as("%s on %s", command.getPayload().getClass().getSimpleName(), accountId)
        .isEqualTo(accepted ? CommandStatus.ACCEPTED : CommandStatus.REJECTED);
  }

  private CommandResult resultOf(String commandId) {
    app.results.readValuesToList().forEach(result -> results.put(result.getCommandId(), result));
    return Optional.ofNullable(results.get(commandId)).orElseThrow(() -> new AssertionError("no result of " + commandId));
  }

  private void collect() {
    accountEvents.addAll(app.accountEvents.readValuesToList());
    accounts.putAll(app.accountState.readKeyValuesToMap());
    transfers.putAll(app.transferState.readKeyValuesToMap());
    app.transferEvents.readValuesToList();
    CommandSideDriver.issuedValues(app.workerAccountCommands);
    CommandSideDriver.issuedValues(app.workerTransferCommands);
    app.results.readValuesToList().forEach(result -> results.put(result.getCommandId(), result));
    app.dlq.readRecordsToList();
    slowTransfers.forEach(this::followGivenUp);
  }

  /**
   * Once the worker gave a slow transfer's leg up, the model takes the transfer's end: failed before the debit, or
   * refunded after it. Whether it is so, and that it is so only once, the invariants check.
   */
  private void followGivenUp(String transferId, Slow slow) {
    TransferState actual = transfers.get(transferId);
    Outcome expected = expectedTransfers.get(transferId);
    if (actual == null || actual.getStatus() != TransferStatus.FAILED || expected.status() == TransferStatus.FAILED) {
      return;
    }
    expectedTransfers.put(transferId, new Outcome(TransferStatus.FAILED, TransferProcess.TIMED_OUT, slow.debited()));
    if (slow.debited()) {
      Expected from = model.get(slow.from());
      Set<String> inFlight = new HashSet<>(from.inFlight());
      inFlight.remove(transferId);
      model.put(slow.from(), new Expected(from.currency(), from.overdraftMinor(),
          from.balanceMinor() + slow.amountMinor(), from.closed(), inFlight));
    }
  }

  private void assertInvariants(String where) {
    long deposited = accountEvents.stream().map(AccountEvent::getPayload).filter(MoneyDeposited.class::isInstance)
        .mapToLong(payload -> ((MoneyDeposited) payload).getAmountMinor()).sum();
    long withdrawn = accountEvents.stream().map(AccountEvent::getPayload).filter(MoneyWithdrawn.class::isInstance)
        .mapToLong(payload -> ((MoneyWithdrawn) payload).getAmountMinor()).sum();
    long balances = accounts.values().stream().mapToLong(AccountState::getBalanceMinor).sum();
    long inFlight = transfers.values().stream().filter(transfer -> transfer.getStatus() == TransferStatus.DEBITED)
        .mapToLong(TransferState::getAmountMinor).sum();
    assertThat(balances + inFlight).as("money conserved at %s", where).isEqualTo(deposited - withdrawn);
    assertThat(accounts.values()).as("overdraft limits at %s", where).allSatisfy(account ->
        assertThat(account.getBalanceMinor()).isGreaterThanOrEqualTo(-account.getOverdraftLimitMinor()));
    assertThat(accounts.keySet()).as("accounts at %s", where).isEqualTo(model.keySet());
    model.forEach((accountId, expected) -> {
      AccountState actual = accounts.get(accountId);
      assertThat(actual.getBalanceMinor()).as("balance of %s at %s", accountId, where).isEqualTo(expected.balanceMinor());
      assertThat(actual.getStatus()).as("status of %s at %s", accountId, where)
          .isEqualTo(expected.closed() ? AccountStatus.CLOSED : AccountStatus.OPEN);
      assertThat(actual.getTransfersInFlight()).as("transfers in flight from %s at %s", accountId, where)
          .containsExactlyInAnyOrderElementsOf(expected.inFlight());
    });
    assertThat(transfers.keySet()).as("transfers at %s", where).isEqualTo(expectedTransfers.keySet());
    expectedTransfers.forEach((transferId, expected) -> assertThat(transfers.get(transferId))
        .as("transfer %s at %s", transferId, where)
        .extracting(TransferState::getStatus, TransferState::getFailureCode, TransferState::getRefunded)
        .containsExactly(expected.status(), expected.failureCode(), expected.refunded()));
  }

  /** Every transfer completed or failed, and the worker has nothing left to do. */
  private void assertEveryTransferFinished() {
    assertThat(transfers.values()).extracting(TransferState::getStatus)
        .allMatch(status -> status == TransferStatus.COMPLETED || status == TransferStatus.FAILED);
    KeyValueStore<String, Progress> progress = app.driver.getKeyValueStore(TransferWorkerTopology.STORE);
    transfers.keySet().forEach(transferId -> assertThat(progress.get(transferId).isFinished()).as(transferId).isTrue());
    try (KeyValueIterator<String, Long> deadlines = app.driver.<String, Long>getKeyValueStore(
        TransferWorkerTopology.DEADLINES_STORE).all()) {
      assertThat(deadlines.hasNext()).as("transfers still waiting for a deadline").isFalse();
    }
  }

  /** A completed transfer moved its amount once from source to destination; a failed one left both as they were. */
  private void assertEveryTransferMovedMoneyOnceOrNotAtAll() {
    Map<String, Map<String, Long>> moved = new HashMap<>();
    for (AccountEvent event : accountEvents) {
      String accountId = event.getMetadata().getAggregateId();
      Object payload = event.getPayload();
      if (payload instanceof TransferDebited debited) {
        moved.computeIfAbsent(debited.getTransferId(), id -> new HashMap<>())
            .merge(accountId, -debited.getAmountMinor(), Long::sum);
      } else if (payload instanceof TransferCredited credited) {
        moved.computeIfAbsent(credited.getTransferId(), id -> new HashMap<>())
            .merge(accountId, credited.getAmountMinor(), Long::sum);
      } else if (payload instanceof TransferRefunded refunded) {
        moved.computeIfAbsent(refunded.getTransferId(), id -> new HashMap<>())
            .merge(accountId, refunded.getAmountMinor(), Long::sum);
      }
    }
    transfers.forEach((transferId, transfer) -> {
      Map<String, Long> net = moved.getOrDefault(transferId, Map.of());
      if (transfer.getStatus() == TransferStatus.COMPLETED) {
        assertThat(net).as(transferId).isEqualTo(
            Map.of(transfer.getFrom(), -transfer.getAmountMinor(), transfer.getTo(), transfer.getAmountMinor()));
      } else {
        assertThat(net.values()).as(transferId).allSatisfy(amount -> assertThat(amount).isZero());
      }
    });
  }

  private static boolean isOpen(Expected account) {
    return account != null && !account.closed();
  }

  private Instant tick() {
    clock = clock.plus(Duration.ofSeconds(1));
    return clock;
  }
}
