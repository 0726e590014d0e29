package io.ledgerstream.domain.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.domain.account.AccountCommand.CreditForTransfer;
import io.ledgerstream.domain.account.AccountCommand.DebitForTransfer;
import io.ledgerstream.domain.account.AccountCommand.RefundTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.CompleteTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FailTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.RecordTransferDebit;
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

  private static final TransferProcess POLICY = new TransferProcess();
  private static final Fact REQUESTED = new Fact.Requested("a", "b", 250, "EUR");
  private static final Fact DEBITED = new Fact.Debited("debit-event");
  private static final Fact RECORDED = new Fact.DebitRecorded();
  private static final Fact CREDITED = new Fact.Credited("credit-event");
  private static final Fact REFUNDED = new Fact.Refunded();
  private static final Fact FINISHED = new Fact.Finished();
  private static final Fact DEBIT_REJECTED = new Fact.Rejected(Step.DEBIT, "INSUFFICIENT_FUNDS", "not enough");
  private static final Fact CREDIT_REJECTED = new Fact.Rejected(Step.CREDIT, "ACCOUNT_CLOSED", "account is closed");

  @Test
  void debitsRecordsCreditsAndCompletesInThatOrder() {
    assertThat(orders(REQUESTED, DEBITED, RECORDED, CREDITED, FINISHED)).containsExactly(
        new Order.ToAccount("a", new DebitForTransfer("T", 250, "EUR", "b")),
        new Order.ToTransfer(new RecordTransferDebit("debit-event")),
        new Order.ToAccount("b", new CreditForTransfer("T", 250, "EUR", "a")),
        new Order.ToTransfer(new CompleteTransfer("credit-event")));
    assertThat(progressAfter(REQUESTED, DEBITED, RECORDED, CREDITED, FINISHED).step()).isEqualTo(Step.FINISHED);
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
    assertThat(progressAfter(REQUESTED, DEBITED, RECORDED, CREDIT_REJECTED))
        .extracting(Progress::step, Progress::failureCode).containsExactly(Step.REFUND, "ACCOUNT_CLOSED");
  }

  @Test
  void everyFactSeenTwiceCallsForNothingTheSecondTime() {
    List<Fact> completed = List.of(REQUESTED, DEBITED, RECORDED, CREDITED);
    Progress progress = null;
    for (Fact fact : completed) {
      progress = POLICY.react("T", progress, fact).orElseThrow().progress();
      assertThat(POLICY.react("T", progress, fact)).as("%s again", fact).isEmpty();
    }
    for (Fact fact : completed) {
      assertThat(POLICY.react("T", progress, fact)).as("%s after the credit", fact).isEmpty();
    }
  }

  @Test
  void factsOutOfStepCallForNothing() {
    Progress debiting = progressAfter(REQUESTED);
    assertThat(POLICY.react("T", debiting, RECORDED)).isEmpty();
    assertThat(POLICY.react("T", debiting, CREDITED)).isEmpty();
    assertThat(POLICY.react("T", debiting, REFUNDED)).isEmpty();
    assertThat(POLICY.react("T", debiting, CREDIT_REJECTED)).isEmpty();
    assertThat(POLICY.react("T", null, DEBITED)).isEmpty();
    assertThat(POLICY.react("T", null, FINISHED)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Step.class, names = {"RECORD_DEBIT", "COMPLETE", "FAIL", "REFUND", "FAIL_REFUNDED"})
  void aRejectionOfAnyOtherStepCallsForNothing(Step step) {
    Progress progress = new Progress("a", "b", 250, "EUR", step, null, null);
    assertThat(POLICY.react("T", progress, new Fact.Rejected(step, "TRANSFER_INVALID_STATE", "no"))).isEmpty();
  }

  @Test
  void aFinishedTransferTakesNoFurtherFacts() {
    Progress finished = progressAfter(REQUESTED, DEBIT_REJECTED, FINISHED);
    EnumSet.of(Step.DEBIT, Step.CREDIT).forEach(step ->
        assertThat(POLICY.react("T", finished, new Fact.Rejected(step, "X", "y"))).isEmpty());
    assertThat(POLICY.react("T", finished, REQUESTED)).isEmpty();
    assertThat(POLICY.react("T", finished, DEBITED)).isEmpty();
  }

  private static List<Order> orders(Fact... facts) {
    List<Order> orders = new ArrayList<>();
    Progress progress = null;
    for (Fact fact : facts) {
      Reaction reaction = POLICY.react("T", progress, fact).orElseThrow(() -> new AssertionError("no reaction to " + fact));
      progress = reaction.progress();
      reaction.order().ifPresent(orders::add);
    }
    return orders;
  }

  private static Progress progressAfter(Fact... facts) {
    Progress progress = null;
    for (Fact fact : facts) {
      Optional<Reaction> reaction = POLICY.react("T", progress, fact);
      progress = reaction.orElseThrow().progress();
    }
    return progress;
  }
}
