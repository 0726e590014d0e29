package io.ledgerstream.domain.transfer;

import static io.ledgerstream.domain.RejectionCode.INVALID_AMOUNT;
import static io.ledgerstream.domain.RejectionCode.INVALID_COMMAND;
import static io.ledgerstream.domain.RejectionCode.INVALID_CURRENCY;
import static io.ledgerstream.domain.RejectionCode.TRANSFER_EXISTS;
import static io.ledgerstream.domain.RejectionCode.TRANSFER_INVALID_STATE;
import static io.ledgerstream.domain.RejectionCode.TRANSFER_NOT_FOUND;
import static io.ledgerstream.domain.RejectionCode.TRANSFER_SAME_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.domain.DeciderSpec;
import io.ledgerstream.domain.Decision;
import io.ledgerstream.domain.transfer.Transfer.Status;
import io.ledgerstream.domain.transfer.TransferCommand.CompleteTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FailTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FlagTransfer;
import io.ledgerstream.domain.transfer.TransferEvent.TransferNeedsAttention;
import io.ledgerstream.domain.transfer.TransferCommand.RecordTransferDebit;
import io.ledgerstream.domain.transfer.TransferCommand.RequestTransfer;
import io.ledgerstream.domain.transfer.TransferEvent.TransferCompleted;
import io.ledgerstream.domain.transfer.TransferEvent.TransferDebitRecorded;
import io.ledgerstream.domain.transfer.TransferEvent.TransferFailed;
import io.ledgerstream.domain.transfer.TransferEvent.TransferRequested;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TransferDeciderTest {

  private static final TransferDecider DECIDER = new TransferDecider();
  private static final String EUR = "EUR";

  private static final TransferRequested REQUESTED = new TransferRequested("a", "b", 250, EUR);
  private static final TransferDebitRecorded DEBITED = new TransferDebitRecorded("debit-1");
  private static final TransferCompleted COMPLETED = new TransferCompleted("credit-1");
  private static final TransferFailed DEBIT_REJECTED = new TransferFailed("INSUFFICIENT_FUNDS", "not enough money", false);
  private static final TransferFailed CREDIT_REJECTED = new TransferFailed("ACCOUNT_CLOSED", "account is closed", true);

  private static final RequestTransfer REQUEST = new RequestTransfer("a", "b", 250, EUR);
  private static final RecordTransferDebit RECORD_DEBIT = new RecordTransferDebit("debit-1");
  private static final CompleteTransfer COMPLETE = new CompleteTransfer("credit-1");
  private static final FailTransfer FAIL_UNREFUNDED = new FailTransfer("INSUFFICIENT_FUNDS", "not enough money", false);
  private static final FailTransfer FAIL_REFUNDED = new FailTransfer("ACCOUNT_CLOSED", "account is closed", true);

  private static DeciderSpec<TransferCommand, TransferEvent, Transfer> spec() {
    return DeciderSpec.of(DECIDER);
  }

  private static Transfer transfer(Status status) {
    return new Transfer(status, "a", "b", 250, EUR, null, null, false);
  }

  // requesting

  @Test
  void requestsATransfer() {
    spec().when(REQUEST).thenEvents(REQUESTED).thenState(transfer(Status.REQUESTED));
  }

  @Test
  void rejectsSecondRequestInEveryLaterState() {
    List<TransferEvent[]> histories = List.of(new TransferEvent[] {REQUESTED}, new TransferEvent[] {REQUESTED, DEBITED},
        new TransferEvent[] {REQUESTED, DEBITED, COMPLETED}, new TransferEvent[] {REQUESTED, DEBIT_REJECTED});
    for (TransferEvent[] history : histories) {
      spec().given(history).when(new RequestTransfer("c", "d", 1, "USD"))
          .thenRejected(TRANSFER_EXISTS)
          .thenState(DECIDER.fold(List.of(history)));
    }
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  "})
  void rejectsRequestWithBlankAccount(String account) {
    spec().when(new RequestTransfer(account, "b", 250, EUR)).thenRejected(INVALID_COMMAND).thenState(Transfer.NONE);
    spec().when(new RequestTransfer("a", account, 250, EUR)).thenRejected(INVALID_COMMAND).thenState(Transfer.NONE);
  }

  @Test
  void rejectsTransferToTheSameAccount() {
    spec().when(new RequestTransfer("a", "a", 250, EUR)).thenRejected(TRANSFER_SAME_ACCOUNT).thenState(Transfer.NONE);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void rejectsRequestWithoutAPositiveAmount(long amount) {
    spec().when(new RequestTransfer("a", "b", amount, EUR)).thenRejected(INVALID_AMOUNT).thenState(Transfer.NONE);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"XYZ", "eur", "EU", "EURO", ""})
  void rejectsRequestWithUnknownCurrencyCode(String currency) {
    spec().when(new RequestTransfer("a", "b", 250, currency)).thenRejected(INVALID_CURRENCY).thenState(Transfer.NONE);
  }

  // nothing before the request

  @Test
  void rejectsEveryOtherCommandBeforeTheRequest() {
    for (TransferCommand command : List.of(RECORD_DEBIT, COMPLETE, FAIL_UNREFUNDED, FAIL_REFUNDED)) {
      spec().when(command).thenRejected(TRANSFER_NOT_FOUND).thenState(Transfer.NONE);
    }
  }

  // the happy path

  @Test
  void recordsTheDebitAndPutsTheMoneyInFlight() {
    spec().given(REQUESTED).when(RECORD_DEBIT).thenEvents(DEBITED).thenState(transfer(Status.DEBITED));
  }

  @Test
  void completesADebitedTransfer() {
    spec().given(REQUESTED, DEBITED).when(COMPLETE).thenEvents(COMPLETED).thenState(transfer(Status.COMPLETED));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", " "})
  void rejectsBlankLegEventIds(String eventId) {
    spec().given(REQUESTED).when(new RecordTransferDebit(eventId)).thenRejected(INVALID_COMMAND)
        .thenState(transfer(Status.REQUESTED));
    spec().given(REQUESTED, DEBITED).when(new CompleteTransfer(eventId)).thenRejected(INVALID_COMMAND)
        .thenState(transfer(Status.DEBITED));
  }

  // failing

  @Test
  void failsWithoutRefundWhenTheDebitWasRejected() {
    spec().given(REQUESTED).when(FAIL_UNREFUNDED)
        .thenEvents(DEBIT_REJECTED)
        .thenState(new Transfer(Status.FAILED, "a", "b", 250, EUR, "INSUFFICIENT_FUNDS", "not enough money", false));
  }

  @Test
  void failsRefundedWhenTheCreditWasRejected() {
    spec().given(REQUESTED, DEBITED).when(FAIL_REFUNDED)
        .thenEvents(CREDIT_REJECTED)
        .thenState(new Transfer(Status.FAILED, "a", "b", 250, EUR, "ACCOUNT_CLOSED", "account is closed", true));
  }

  @Test
  void rejectsRefundedFailureBeforeAnythingWasDebited() {
    spec().given(REQUESTED).when(FAIL_REFUNDED).thenRejected(TRANSFER_INVALID_STATE).thenState(transfer(Status.REQUESTED));
  }

  @Test
  void rejectsFailureOfADebitedTransferThatWasNotRefunded() {
    spec().given(REQUESTED, DEBITED).when(FAIL_UNREFUNDED).thenRejected(TRANSFER_INVALID_STATE)
        .thenState(transfer(Status.DEBITED));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", " "})
  void rejectsFailureWithoutCodeOrReason(String blank) {
    spec().given(REQUESTED).when(new FailTransfer(blank, "reason", false)).thenRejected(INVALID_COMMAND);
    spec().given(REQUESTED).when(new FailTransfer("CODE", blank, false)).thenRejected(INVALID_COMMAND);
    spec().given(REQUESTED, DEBITED).when(new FailTransfer(blank, "reason", true)).thenRejected(INVALID_COMMAND);
    spec().given(REQUESTED, DEBITED).when(new FailTransfer("CODE", blank, true)).thenRejected(INVALID_COMMAND);
  }

  // needing attention

  @Test
  void aDebitedTransferFlaggedByTheWorkerNeedsAttentionWithItsReasonAndKeepsItsMoneyInFlight() {
    Transfer flagged = new Transfer(Status.NEEDS_ATTENTION, "a", "b", 250, EUR, "INVALID_AMOUNT", "refund rejected",
        false);
    spec().given(REQUESTED, DEBITED).when(new FlagTransfer("INVALID_AMOUNT", "refund rejected"))
        .thenEvents(new TransferNeedsAttention("INVALID_AMOUNT", "refund rejected"))
        .thenState(flagged);
    assertThat(flagged.inFlightMinor()).isEqualTo(250);
    assertThat(flagged.isFinished()).isTrue();
  }

  @Test
  void aFailedTransferCanBeFlaggedButACompletedOrFlaggedOneCannot() {
    spec().given(REQUESTED, DEBIT_REJECTED).when(new FlagTransfer("X", "late debit"))
        .thenEvents(new TransferNeedsAttention("X", "late debit"));
    spec().given(REQUESTED, DEBITED, COMPLETED).when(new FlagTransfer("X", "y")).thenRejected(TRANSFER_INVALID_STATE);
    spec().given(REQUESTED, DEBITED, new TransferNeedsAttention("X", "y")).when(new FlagTransfer("X", "y"))
        .thenRejected(TRANSFER_INVALID_STATE);
    spec().given(REQUESTED, DEBITED, new TransferNeedsAttention("X", "y")).when(COMPLETE)
        .thenRejected(TRANSFER_INVALID_STATE);
    spec().given(REQUESTED).when(new FlagTransfer(" ", "y")).thenRejected(INVALID_COMMAND);
  }

  // finished transfers

  @Test
  void completedTransferAcceptsNothing() {
    for (TransferCommand command : List.of(RECORD_DEBIT, COMPLETE, FAIL_UNREFUNDED, FAIL_REFUNDED)) {
      spec().given(REQUESTED, DEBITED, COMPLETED).when(command).thenRejected(TRANSFER_INVALID_STATE)
          .thenState(transfer(Status.COMPLETED));
    }
  }

  @Test
  void failedTransferAcceptsNothing() {
    for (TransferEvent[] failed : List.of(new TransferEvent[] {REQUESTED, DEBIT_REJECTED},
        new TransferEvent[] {REQUESTED, DEBITED, CREDIT_REJECTED})) {
      for (TransferCommand command : List.of(RECORD_DEBIT, COMPLETE, FAIL_UNREFUNDED, FAIL_REFUNDED)) {
        spec().given(failed).when(command).thenRejected(TRANSFER_INVALID_STATE).thenState(DECIDER.fold(List.of(failed)));
      }
    }
  }

  @Test
  void finishedTransferSaysWhyItRefuses() {
    var decision = DECIDER.decide(COMPLETE, DECIDER.fold(List.of(REQUESTED, DEBIT_REJECTED)));

    assertThat(((Decision.Rejected<TransferEvent>) decision).rejection().message()).contains("failed");
  }

  // duplicates that slip past the command dedupe, with a new command id

  @Test
  void rejectsSecondDebitRecordInsteadOfRecordingItTwice() {
    spec().given(REQUESTED, DEBITED).when(new RecordTransferDebit("debit-2")).thenRejected(TRANSFER_INVALID_STATE)
        .thenState(transfer(Status.DEBITED));
    spec().given(REQUESTED, DEBITED).when(RECORD_DEBIT).thenRejected(TRANSFER_INVALID_STATE);
  }

  @Test
  void rejectsSecondCompletion() {
    spec().given(REQUESTED, DEBITED, COMPLETED).when(COMPLETE).thenRejected(TRANSFER_INVALID_STATE)
        .thenState(transfer(Status.COMPLETED));
  }

  @Test
  void rejectsSecondFailure() {
    spec().given(REQUESTED, DEBIT_REJECTED).when(FAIL_UNREFUNDED).thenRejected(TRANSFER_INVALID_STATE);
    spec().given(REQUESTED, DEBITED, CREDIT_REJECTED).when(FAIL_REFUNDED).thenRejected(TRANSFER_INVALID_STATE);
  }

  // out-of-order arrivals

  @Test
  void rejectsCompletionBeforeTheDebitIsRecorded() {
    spec().given(REQUESTED).when(COMPLETE).thenRejected(TRANSFER_INVALID_STATE).thenState(transfer(Status.REQUESTED));
  }

  @Test
  void rejectsDebitRecordAfterTheTransferFinished() {
    spec().given(REQUESTED, DEBITED, COMPLETED).when(RECORD_DEBIT).thenRejected(TRANSFER_INVALID_STATE);
    spec().given(REQUESTED, DEBIT_REJECTED).when(RECORD_DEBIT).thenRejected(TRANSFER_INVALID_STATE);
  }

  @Test
  void rejectsFailureAfterCompletionAndCompletionAfterFailure() {
    spec().given(REQUESTED, DEBITED, COMPLETED).when(FAIL_REFUNDED).thenRejected(TRANSFER_INVALID_STATE);
    spec().given(REQUESTED, DEBITED, CREDIT_REJECTED).when(COMPLETE).thenRejected(TRANSFER_INVALID_STATE);
  }

  @Test
  void acceptsExactlyTheTransitionsOfTheStateMachineWithOneEventEach() {
    Map<Status, List<TransferEvent>> histories = new EnumMap<>(Status.class);
    histories.put(Status.NOT_REQUESTED, List.of());
    histories.put(Status.REQUESTED, List.of(REQUESTED));
    histories.put(Status.DEBITED, List.of(REQUESTED, DEBITED));
    histories.put(Status.COMPLETED, List.of(REQUESTED, DEBITED, COMPLETED));
    histories.put(Status.FAILED, List.of(REQUESTED, DEBITED, CREDIT_REJECTED));
    histories.put(Status.NEEDS_ATTENTION, List.of(REQUESTED, DEBITED, new TransferNeedsAttention("X", "y")));
    FlagTransfer flag = new FlagTransfer("INVALID_AMOUNT", "refund rejected");
    Map<Status, List<TransferCommand>> allowed = Map.of(
        Status.NOT_REQUESTED, List.of(REQUEST),
        Status.REQUESTED, List.of(RECORD_DEBIT, FAIL_UNREFUNDED, flag),
        Status.DEBITED, List.of(COMPLETE, FAIL_REFUNDED, flag),
        Status.COMPLETED, List.of(),
        Status.FAILED, List.of(flag),
        Status.NEEDS_ATTENTION, List.of());
    for (Status status : Status.values()) {
      Transfer transfer = DECIDER.fold(histories.get(status));
      for (TransferCommand command : List.of(REQUEST, RECORD_DEBIT, COMPLETE, FAIL_UNREFUNDED, FAIL_REFUNDED, flag)) {
        Decision<TransferEvent> decision = DECIDER.decide(command, transfer);
        if (allowed.get(status).contains(command)) {
          assertThat(decision).as("%s on %s", command, status).isInstanceOf(Decision.Accepted.class);
          assertThat(((Decision.Accepted<TransferEvent>) decision).events()).as("%s on %s", command, status).hasSize(1);
        } else {
          assertThat(decision).as("%s on %s", command, status).isInstanceOf(Decision.Rejected.class);
        }
      }
    }
  }

  // evolve

  @Test
  void foldFollowsTheLifecycleAndKeepsTheRequest() {
    assertThat(DECIDER.fold(List.of(REQUESTED))).isEqualTo(transfer(Status.REQUESTED));
    assertThat(DECIDER.fold(List.of(REQUESTED, DEBITED))).isEqualTo(transfer(Status.DEBITED));
    assertThat(DECIDER.fold(List.of(REQUESTED, DEBITED, COMPLETED))).isEqualTo(transfer(Status.COMPLETED));
    assertThat(DECIDER.fold(List.of(REQUESTED, DEBITED, CREDIT_REJECTED)))
        .isEqualTo(new Transfer(Status.FAILED, "a", "b", 250, EUR, "ACCOUNT_CLOSED", "account is closed", true));
  }

  @Test
  void foldOfNothingIsTheInitialState() {
    assertThat(DECIDER.fold(List.of())).isEqualTo(Transfer.NONE).isEqualTo(DECIDER.initialState());
  }

  @Test
  void moneyIsInFlightOnlyWhileDebited() {
    assertThat(Transfer.NONE.inFlightMinor()).isZero();
    assertThat(DECIDER.fold(List.of(REQUESTED)).inFlightMinor()).isZero();
    assertThat(DECIDER.fold(List.of(REQUESTED, DEBITED)).inFlightMinor()).isEqualTo(250);
    assertThat(DECIDER.fold(List.of(REQUESTED, DEBITED, COMPLETED)).inFlightMinor()).isZero();
    assertThat(DECIDER.fold(List.of(REQUESTED, DEBITED, CREDIT_REJECTED)).inFlightMinor()).isZero();
    assertThat(DECIDER.fold(List.of(REQUESTED, DEBIT_REJECTED)).inFlightMinor()).isZero();
  }
}
