package io.ledgerstream.topology;

import static io.ledgerstream.topology.Commands.close;
import static io.ledgerstream.topology.Commands.deposit;
import static io.ledgerstream.topology.Commands.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.CreditForTransfer;
import io.ledgerstream.avro.DebitForTransfer;
import io.ledgerstream.avro.RefundTransfer;
import io.ledgerstream.avro.RequestTransfer;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.avro.TransferDebited;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.domain.transfer.TransferProcess.Cause;
import io.ledgerstream.domain.transfer.TransferProcess.Progress;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.transfer.worker.TransferDeadlines;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transfer worker's deadlines on the production command side, with the wall clock moved by hand: a step whose
 * answer never came is sent again under the same id, a leg that never gets through is given up after its last try,
 * and a refund that cannot be made flags the transfer for an operator.
 */
class TransferDeadlineTopologyTest {

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_TRIES = 3;
  /**
   * Large enough for every public command and every worker command of an ordinary transfer, too small for a leg that
   * names a {@link #LONG} id: such a leg is dead-lettered each time it is sent, as a command the command side could
   * not take would be.
   */
  private static final int MAX_COMMAND_BYTES = 400;
  private static final String LONG = "x".repeat(198);
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final CommandSideDriver app = new CommandSideDriver(
      new CommandSideConfig(Duration.ofDays(7), MAX_COMMAND_BYTES), new TransferDeadlines(STEP_TIMEOUT, MAX_TRIES));
  private final Map<String, AccountState> accounts = new HashMap<>();
  private final Map<String, TransferState> transfers = new HashMap<>();
  private final List<AccountEvent> accountEvents = new ArrayList<>();
  private final List<AccountCommand> workerAccountCommands = new ArrayList<>();
  private final List<TransferCommand> workerTransferCommands = new ArrayList<>();
  private final Map<String, CommandResult> results = new HashMap<>();
  private int deadLetters;

  @AfterEach
  void closeDriver() {
    app.close();
  }

  @Test
  void aTransferWhoseWorkerProgressFellBehindIsBroughtBackByItsDeadlineWithoutMovingMoneyAgain() {
    openWith("A", 1_000);
    openWith("B", 0);
    request("T-1", "A", "B", 300);
    assertThat(transfers.get("T-1").getStatus()).isEqualTo(TransferStatus.COMPLETED);
    CommandResult credit = results.get(TransferWorkerTopology.commandId("T-1", Step.CREDIT));
    int eventsBefore = accountEvents.size();
    workerAccountCommands.clear();

    // as if the credit's result had never reached the worker: its progress is back at the credit, due now
    KeyValueStore<String, Progress> progress = app.driver.getKeyValueStore(TransferWorkerTopology.STORE);
    KeyValueStore<String, Long> deadlines = app.driver.getKeyValueStore(TransferWorkerTopology.DEADLINES_STORE);
    progress.put("T-1", new Progress("A", "B", 300, "EUR", Step.CREDIT, null, null, null, 1,
        new Cause("recorded", "journey", T0.toEpochMilli())));
    deadlines.put("T-1", 0L);
    runDeadlines(1);

    AccountCommand resent = workerAccountCommands.get(0);
    assertThat(resent.getPayload()).isInstanceOf(CreditForTransfer.class);
    assertThat(resent.getMetadata().getCommandId()).isEqualTo(credit.getCommandId());
    assertThat(results.get(credit.getCommandId())).isEqualTo(credit);
    assertThat(accountEvents).hasSize(eventsBefore);
    assertThat(balance("A")).isEqualTo(700);
    assertThat(balance("B")).isEqualTo(300);
    assertThat(progress.get("T-1").step()).isEqualTo(Step.FINISHED);
    assertThat(deadlines.get("T-1")).isNull();
  }

  @Test
  void aDebitDeadLetteredOnEveryTryIsSentAgainUnderItsIdAndTheTransferFailsAfterTheLastTry() {
    openWith("A", 1_000);
    String target = "B-" + LONG;
    openWith(target, 0);
    String transferId = "T-" + LONG;

    request(transferId, "A", target, 300);
    assertThat(deadLetters).isEqualTo(1);
    assertThat(transfers.get(transferId).getStatus()).isEqualTo(TransferStatus.REQUESTED);

    runDeadlines(1);
    assertThat(deadLetters).isEqualTo(2);
    assertThat(transfers.get(transferId).getStatus()).isEqualTo(TransferStatus.REQUESTED);
    runDeadlines(MAX_TRIES);

    TransferState failed = transfers.get(transferId);
    assertThat(failed).extracting(TransferState::getStatus, TransferState::getFailureCode, TransferState::getRefunded)
        .containsExactly(TransferStatus.FAILED, TransferProcess.TIMED_OUT, false);
    assertThat(failed.getFailureReason()).isEqualTo("the debit was not answered after 3 tries");
    assertThat(deadLetters).isEqualTo(MAX_TRIES);
    assertThat(workerAccountCommands).hasSize(MAX_TRIES).allSatisfy(debit -> {
      assertThat(debit.getPayload()).isInstanceOf(DebitForTransfer.class);
      assertThat(debit).isEqualTo(workerAccountCommands.get(0));
    });
    assertThat(balance("A")).isEqualTo(1_000);
    assertThat(accountEvents).noneMatch(event -> event.getPayload() instanceof TransferDebited);
  }

  @Test
  void aCreditDeadLetteredOnEveryTryRefundsTheSourceAndTheSourceCannotCloseMeanwhile() {
    String source = "S-" + LONG.substring(0, 150);
    openWith(source, 300);
    openWith("B", 0);
    String transferId = "T-" + LONG;

    request(transferId, source, "B", 300);
    assertThat(transfers.get(transferId).getStatus()).isEqualTo(TransferStatus.DEBITED);
    assertThat(accounts.get(source).getTransfersInFlight()).containsExactly(transferId);
    AccountCommand closing = close();
    app.accountCommands.pipeInput(source, closing, T0);
    collect();
    assertThat(results.get(closing.getMetadata().getCommandId()).getRejection().getCode())
        .isEqualTo("TRANSFERS_IN_FLIGHT");

    runDeadlines(MAX_TRIES + 1);

    assertThat(transfers.get(transferId))
        .extracting(TransferState::getStatus, TransferState::getFailureCode, TransferState::getRefunded)
        .containsExactly(TransferStatus.FAILED, TransferProcess.TIMED_OUT, true);
    assertThat(balance(source)).isEqualTo(300);
    assertThat(balance("B")).isZero();
    assertThat(accounts.get(source).getTransfersInFlight()).isEmpty();
    assertThat(accountEvents).noneMatch(event -> event.getPayload() instanceof TransferCredited);
    assertThat(workerAccountCommands).filteredOn(command -> command.getPayload() instanceof CreditForTransfer)
        .hasSize(MAX_TRIES);
  }

  @Test
  void aRefundThatIsRejectedLeavesTheTransferNeedingAttentionWithTheReasonAndItsMoneyInFlight() {
    String source = "S-" + LONG.substring(0, 150);
    openWith(source, 300);
    openWith("B", 0);
    String transferId = "T-" + LONG;
    request(transferId, source, "B", 300);
    // while the credit cannot get through, the source fills up so far that the refund would overflow its balance
    app.accountCommands.pipeInput(source, deposit(Long.MAX_VALUE - 100), T0);
    collect();

    runDeadlines(MAX_TRIES + 1);

    TransferState flagged = transfers.get(transferId);
    assertThat(flagged.getStatus()).isEqualTo(TransferStatus.NEEDS_ATTENTION);
    assertThat(flagged.getFailureCode()).isEqualTo("INVALID_AMOUNT");
    assertThat(flagged.getFailureReason()).isEqualTo("the refund of 300 EUR to " + source
        + " was rejected: balance would overflow");
    assertThat(results.get(TransferWorkerTopology.commandId(transferId, Step.REFUND)).getStatus())
        .isEqualTo(CommandStatus.REJECTED);
    assertThat(workerAccountCommands).filteredOn(command -> command.getPayload() instanceof RefundTransfer)
        .hasSize(1);
    assertThat(workerTransferCommands).last()
        .satisfies(flag -> assertThat(flag.getMetadata().getCommandId())
            .isEqualTo(TransferWorkerTopology.commandId(transferId, Step.FLAG)));
    assertThat(accounts.get(source).getTransfersInFlight()).containsExactly(transferId);
    assertThat(balance(source)).isEqualTo(Long.MAX_VALUE - 100);

    int sent = workerAccountCommands.size() + workerTransferCommands.size();
    runDeadlines(MAX_TRIES + 1);
    assertThat(workerAccountCommands.size() + workerTransferCommands.size()).as("nothing more once flagged")
        .isEqualTo(sent);
    assertThat(transfers.get(transferId).getVersion()).isEqualTo(flagged.getVersion());
  }

  /** Moves the wall clock past {@code deadlines} step deadlines, in steps the worker's punctuator sees each of. */
  private void runDeadlines(int deadlines) {
    for (int i = 0; i < deadlines * 5; i++) {
      app.driver.advanceWallClockTime(STEP_TIMEOUT.dividedBy(4));
      collect();
    }
  }

  private void openWith(String accountId, long balanceMinor) {
    app.accountCommands.pipeInput(accountId, open("owner", "EUR", 0), T0);
    if (balanceMinor > 0) {
      app.accountCommands.pipeInput(accountId, deposit(balanceMinor), T0);
    }
    collect();
  }

  private void request(String transferId, String from, String to, long amountMinor) {
    TransferCommand command = new TransferCommand(Commands.metadata(UUID.randomUUID().toString()),
        new RequestTransfer(from, to, amountMinor, "EUR"));
    app.transferCommands.pipeInput(transferId, command, T0);
    collect();
    assertThat(results.get(command.getMetadata().getCommandId()).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
  }

  private void collect() {
    accountEvents.addAll(app.accountEvents.readValuesToList());
    accounts.putAll(app.accountState.readKeyValuesToMap());
    transfers.putAll(app.transferState.readKeyValuesToMap());
    app.transferEvents.readValuesToList();
    workerAccountCommands.addAll(CommandSideDriver.issuedValues(app.workerAccountCommands));
    workerTransferCommands.addAll(CommandSideDriver.issuedValues(app.workerTransferCommands));
    app.results.readValuesToList().forEach(result -> results.put(result.getCommandId(), result));
    deadLetters += app.dlq.readRecordsToList().size();
  }

  private long balance(String accountId) {
    return accounts.get(accountId).getBalanceMinor();
  }
}
