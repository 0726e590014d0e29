package io.ledgerstream.domain.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.domain.account.AccountCommand.CreditForTransfer;
import io.ledgerstream.domain.account.AccountCommand.DebitForTransfer;
import io.ledgerstream.domain.account.AccountCommand.RefundTransfer;
import io.ledgerstream.domain.account.AccountCommand.SettleTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.CompleteTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FailTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FlagTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.RecordTransferDebit;
import io.ledgerstream.domain.transfer.TransferProcess.Cause;
import io.ledgerstream.domain.transfer.TransferProcess.Fact;
import io.ledgerstream.domain.transfer.TransferProcess.Order;
import io.ledgerstream.domain.transfer.TransferProcess.Progress;
import io.ledgerstream.domain.transfer.TransferProcess.Reaction;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransferProcessTest {

  private static final TransferProcess POLICY = new TransferProcess(3);
  private static final Cause CAUSE = new Cause("cause", "journey", 1_000);
  private static final Fact REQUESTED = new Fact.Requested("a", "b", 250, "EUR");
  private static final Fact DEBITED = new Fact.Accepted(Step.DEBIT, "debit-event");
  private static final Fact RECORDED = new Fact.Accepted(Step.RECORD_DEBIT, "recorded-event");
  private static final Fact CREDITED = new Fact.Accepted(Step.CREDIT, "credit-event");
  private static final Fact COMPLETED = new Fact.Accepted(Step.COMPLETE, "completed-event");
  private static final Fact SETTLED = new Fact.Accepted(Step.SETTLE, "settled-event");
  private static final Fact REFUNDED = new Fact.Accepted(Step.REFUND, "refund-event");
  private static final Fact FAILED_REFUNDED = new Fact.Accepted(Step.FAIL_REFUNDED, "failed-event");
  private static final Fact DEBIT_REJECTED = new Fact.Rejected(Step.DEBIT, "INSUFFICIENT_FUNDS", "not enough");
  private static final Fact CREDIT_REJECTED = new Fact.Rejected(Step.CREDIT, "ACCOUNT_CLOSED", "account is closed");
  private static final Fact REFUND_REJECTED = new Fact.Rejected(Step.REFUND, "INVALID_AMOUNT", "balance would overflow");
  private static final Fact TIMED_OUT = new Fact.TimedOut();

  @Test
  void debitsRecordsCreditsCompletesAndSettlesInThatOrder() {
    assertThat(orders(REQUESTED, DEBITED, RECORDED, CREDITED, COMPLETED, SETTLED)).containsExactly(
        new Order.ToAccount("a", new DebitForTransfer("T", 250, "EUR", "b")),
        new Order.ToTransfer(new RecordTransferDebit("debit-event")),
        new Order.ToAccount("b", new CreditForTransfer("T", 250, "EUR", "a")),
        new Order.ToTransfer(new CompleteTransfer("credit-event")),
        new Order.ToAccount("a", new SettleTransfer("T")));
    assertThat(progressAfter(REQUESTED, DEBITED, RECORDED, CREDITED, COMPLETED, SETTLED).step())
        .isEqualTo(Step.FINISHED);
  }

  @Test
  void aRejectedDebitFailsTheTransferWithTheRejectionAndNoRefund() {
    assertThat(orders(REQUESTED, DEBIT_REJECTED)).containsExactly(
        new Order.ToAccount("a", new DebitForTransfer("T", 250, "EUR", "b")),
        new Order.ToTransfer(new FailTransfer("INSUFFICIENT_FUNDS", "not enough", false)));
  }

  @Test
  void aRejectedCreditRefundsTheSourceThenFailsWithTheCreditsRejection() {
    assertThat(orders(REQUESTED, DEBITED, RECORDED, CREDIT_REJECTED, REFUNDED)).endsWith(
        new Order.ToAccount("a", new RefundTransfer("T", 250)),
        new Order.ToTransfer(new FailTransfer("ACCOUNT_CLOSED", "account is closed", true)));
    assertThat(progressAfter(REQUESTED, DEBITED, RECORDED, CREDIT_REJECTED, REFUNDED, FAILED_REFUNDED).step())
        .isEqualTo(Step.FINISHED);
  }

  @Test
  void aRejectedRefundFlagsTheTransferForAnOperatorWithTheReason() {
    List<Order> orders = orders(REQUESTED, DEBITED, RECORDED, CREDIT_REJECTED, REFUND_REJECTED);

    assertThat(orders.get(orders.size() - 1)).isEqualTo(new Order.ToTransfer(new FlagTransfer("INVALID_AMOUNT",
        "the refund of 250 EUR to a was rejected: balance would overflow")));
  }

  @Test
  void anUnansweredStepIsSentAgainUnchangedUntilItsLastTry() {
    Progress debiting = progressAfter(REQUESTED);
    Reaction again = POLICY.react("T", debiting, TIMED_OUT, null).orElseThrow();

    assertThat(again.order()).isEqualTo(TransferProcess.order("T", debiting));
    assertThat(again.progress()).isEqualTo(new Progress("a", "b", 250, "EUR", Step.DEBIT, null, null, null, 2, CAUSE));
  }

  @Test
  void aDebitUnansweredAfterItsLastTryFailsTheTransferWithoutARefund() {
    assertThat(orders(REQUESTED, TIMED_OUT, TIMED_OUT, TIMED_OUT)).last().isEqualTo(new Order.ToTransfer(
        new FailTransfer(TransferProcess.TIMED_OUT, "the debit was not answered after 3 tries", false)));
  }

  @Test
  void aCreditUnansweredAfterItsLastTryRefundsTheSource() {
    assertThat(orders(REQUESTED, DEBITED, RECORDED, TIMED_OUT, TIMED_OUT, TIMED_OUT)).last()
        .isEqualTo(new Order.ToAccount("a", new RefundTransfer("T", 250)));
    assertThat(orders(REQUESTED, DEBITED, RECORDED, TIMED_OUT, TIMED_OUT, TIMED_OUT, REFUNDED)).last()
        .isEqualTo(new Order.ToTransfer(new FailTransfer(TransferProcess.TIMED_OUT,
            "the credit was not answered after 3 tries", true)));
  }

  @Test
  void aRefundUnansweredAfterItsLastTryFlagsTheTransfer() {
    assertThat(orders(REQUESTED, DEBITED, RECORDED, CREDIT_REJECTED, TIMED_OUT, TIMED_OUT, TIMED_OUT)).last()
        .isEqualTo(new Order.ToTransfer(new FlagTransfer(TransferProcess.TIMED_OUT,
            "the refund was not answered after 3 tries")));
  }

  @Test
  void theTransfersOwnStepsAndTheSettlementAreSentAgainWithoutBound() {
    Progress recording = progressAfter(REQUESTED, DEBITED);
    Progress settling = progressAfter(REQUESTED, DEBITED, RECORDED, CREDITED, COMPLETED);
    for (int i = 0; i < 10; i++) {
      recording = POLICY.react("T", recording, TIMED_OUT, null).orElseThrow().progress();
      settling = POLICY.react("T", settling, TIMED_OUT, null).orElseThrow().progress();
    }
    assertThat(recording).extracting(Progress::step, Progress::attempts).containsExactly(Step.RECORD_DEBIT, 11);
    assertThat(settling).extracting(Progress::step, Progress::attempts).containsExactly(Step.SETTLE, 11);
  }

  @Test
  void aDebitAcceptedAfterTheTransferGaveItUpIsRefunded() {
    Progress failed = progressAfter(REQUESTED, TIMED_OUT, TIMED_OUT, TIMED_OUT,
        new Fact.Accepted(Step.FAIL, "failed-event"));

    Reaction late = POLICY.react("T", failed, DEBITED, CAUSE).orElseThrow();

    assertThat(late.order()).contains(new Order.ToAccount("a", new RefundTransfer("T", 250)));
    assertThat(late.progress().step()).isEqualTo(Step.LATE_REFUND);
    assertThat(POLICY.react("T", late.progress(), DEBITED, CAUSE)).isEmpty();
  }

  @Test
  void aCreditAcceptedAfterTheWorkerGaveItUpAndRefundedFlagsTheTransfer() {
    Progress refunding = progressAfter(REQUESTED, DEBITED, RECORDED, TIMED_OUT, TIMED_OUT, TIMED_OUT);

    Reaction late = POLICY.react("T", refunding, CREDITED, CAUSE).orElseThrow();

    assertThat(late.progress().step()).isEqualTo(Step.FLAG);
    assertThat(late.order()).hasValueSatisfying(order -> assertThat(((FlagTransfer) ((Order.ToTransfer) order)
        .command()).reason()).contains("on both accounts"));
  }

  @Test
  void everyFactSeenTwiceCallsForNothingTheSecondTime() {
    List<Fact> completed = List.of(REQUESTED, DEBITED, RECORDED, CREDITED, COMPLETED, SETTLED);
    Progress progress = null;
    for (Fact fact : completed) {
      progress = POLICY.react("T", progress, fact, CAUSE).orElseThrow().progress();
      assertThat(POLICY.react("T", progress, fact, CAUSE)).as("%s again", fact).isEmpty();
    }
    for (Fact fact : completed) {
      assertThat(POLICY.react("T", progress, fact, CAUSE)).as("%s after the end", fact).isEmpty();
    }
    assertThat(POLICY.react("T", progress, TIMED_OUT, null)).isEmpty();
  }

  @Test
  void factsOutOfStepCallForNothing() {
    Progress debiting = progressAfter(REQUESTED);
    assertThat(POLICY.react("T", debiting, RECORDED, CAUSE)).isEmpty();
    assertThat(POLICY.react("T", debiting, CREDITED, CAUSE)).isEmpty();
    assertThat(POLICY.react("T", debiting, REFUNDED, CAUSE)).isEmpty();
    assertThat(POLICY.react("T", debiting, CREDIT_REJECTED, CAUSE)).isEmpty();
    assertThat(POLICY.react("T", null, DEBITED, CAUSE)).isEmpty();
    assertThat(POLICY.react("T", null, TIMED_OUT, null)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Step.class, names = {"RECORD_DEBIT", "COMPLETE", "SETTLE", "FAIL", "FAIL_REFUNDED", "FLAG"})
  void aRejectionOfTheTransfersOwnStepsEndsTheWorkersPart(Step step) {
    Progress progress = new Progress("a", "b", 250, "EUR", step, "X", "y", "event", 1, CAUSE);

    Reaction reaction = POLICY.react("T", progress, new Fact.Rejected(step, "TRANSFER_INVALID_STATE", "no"), CAUSE)
        .orElseThrow();

    assertThat(reaction.progress().step()).isEqualTo(Step.FINISHED);
    assertThat(reaction.order()).isEmpty();
  }

  @Test
  void progressStoredBeforeTheCitedEventWasKeptIsNotRebuiltForTheTransfersOwnSteps() {
    Progress legacy = new Progress("a", "b", 250, "EUR", Step.RECORD_DEBIT, null, null);

    assertThat(POLICY.react("T", legacy, TIMED_OUT, null)).isEmpty();
    assertThat(POLICY.react("T", new Progress("a", "b", 250, "EUR", Step.CREDIT, null, null), TIMED_OUT, null))
        .hasValueSatisfying(again -> assertThat(again.progress().attempts()).isEqualTo(2));
  }

  @Test
  void aFinishedTransferTakesNoFurtherFacts() {
    Progress finished = progressAfter(REQUESTED, DEBIT_REJECTED, new Fact.Accepted(Step.FAIL, "failed-event"));
    EnumSet.of(Step.DEBIT, Step.CREDIT).forEach(step ->
        assertThat(POLICY.react("T", finished, new Fact.Rejected(step, "X", "y"), CAUSE)).isEmpty());
    assertThat(POLICY.react("T", finished, REQUESTED, CAUSE)).isEmpty();
    assertThat(POLICY.react("T", finished, DEBITED, CAUSE)).isEmpty();
  }

  @Test
  void aPolicyNeedsAtLeastOneTry() {
    assertThatThrownBy(() -> new TransferProcess(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Order> orders(Fact... facts) {
    List<Order> orders = new ArrayList<>();
    Progress progress = null;
    for (Fact fact : facts) {
      Reaction reaction = POLICY.react("T", progress, fact, fact instanceof Fact.TimedOut ? null : CAUSE)
          .orElseThrow(() -> new AssertionError("no reaction to " + fact));
      progress = reaction.progress();
      reaction.order().ifPresent(orders::add);
    }
    return orders;
  }

  private static Progress progressAfter(Fact... facts) {
    Progress progress = null;
    for (Fact fact : facts) {
      Optional<Reaction> reaction = POLICY.react("T", progress, fact, fact instanceof Fact.TimedOut ? null : CAUSE);
      progress = reaction.orElseThrow(() -> new AssertionError("no reaction to " + String.valueOf(fact))).progress();
    }
    return progress;
  }
}
