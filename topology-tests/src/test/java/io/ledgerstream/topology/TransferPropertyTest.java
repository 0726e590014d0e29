package io.ledgerstream.topology;

import static io.ledgerstream.topology.Commands.close;
import static io.ledgerstream.topology.Commands.deposit;
import static io.ledgerstream.topology.Commands.open;
import static io.ledgerstream.topology.Commands.withdraw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.MoneyWithdrawn;
import io.ledgerstream.avro.RequestTransfer;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.avro.TransferDebited;
import io.ledgerstream.avro.TransferRefunded;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.domain.transfer.TransferProcess.Cause;
import io.ledgerstream.domain.transfer.TransferProcess.Progress;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.transfer.worker.TransferDeadlines;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
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

  /** What the test expects of one account, by the rules as the test understands them. */
  private record Expected(String currency, long overdraftMinor, long balanceMinor, boolean closed,
                          Set<String> inFlight) {
    Expected withBalance(long balance) {
      return new Expected(currency, overdraftMinor, balance, closed, inFlight);
    }
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
  private Random random;
  private CommandSideDriver app;
  private Instant clock = T0;

  @ParameterizedTest
  @ValueSource(longs = {1, 7, 42, 1_000, 20_260_401})
  void moneyIsConservedAndEveryTransferEndsAsTheRulesSay(long seed) {
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

  private String randomAccount() {
    return random.nextInt(100) < 15 ? SLOW.get(random.nextInt(SLOW.size())) : "A-" + random.nextInt(ACCOUNTS + 1);
  }

  private String rejectionOf(AccountCommand command) {
    CommandResult result = results.get(command.getMetadata().getCommandId());
    return result.getRejection() == null ? null : result.getRejection().getCode();
  }

  private void send(String accountId, AccountCommand command, boolean accepted) {
    app.accountCommands.pipeInput(accountId, command, tick());
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
