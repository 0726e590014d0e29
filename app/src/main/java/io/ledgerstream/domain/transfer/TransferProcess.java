package io.ledgerstream.domain.transfer;

import io.ledgerstream.domain.account.AccountCommand;
import io.ledgerstream.domain.account.AccountCommand.CreditForTransfer;
import io.ledgerstream.domain.account.AccountCommand.DebitForTransfer;
import io.ledgerstream.domain.account.AccountCommand.RefundTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.CompleteTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FailTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.RecordTransferDebit;
import java.util.Optional;

/**
 * The transfer worker's policy: which command each fact about a transfer calls for. Debit the source, record the
 * debit, credit the destination, complete; a rejected debit fails the transfer, a rejected credit refunds the source
 * and then fails it.
 *
 * <p>Each fact moves the transfer one step forward only from the step that expects it, so a fact seen twice, or one
 * about a step already passed, leads to nothing: the worker sends each command at most once.
 */
public final class TransferProcess {

  /**
   * The command the worker sent last, which also names it; {@link #FINISHED} once the transfer completed or failed.
   * The names reach storage (the worker's stored progress, the ids of its commands): never rename one.
   */
  public enum Step { DEBIT, RECORD_DEBIT, CREDIT, COMPLETE, FAIL, REFUND, FAIL_REFUNDED, FINISHED }

  /**
   * What the worker remembers about one transfer.
   *
   * @param failureCode why the credit was rejected, once it was: the transfer fails with it after the refund
   */
  public record Progress(String from, String to, long amountMinor, String currency, Step step,
                         String failureCode, String failureReason) {

    Progress at(Step next) {
      return new Progress(from, to, amountMinor, currency, next, failureCode, failureReason);
    }

    Progress failedWith(Step next, String code, String reason) {
      return new Progress(from, to, amountMinor, currency, next, code, reason);
    }
  }

  /** Something that happened to a transfer, as far as the worker cares. */
  public sealed interface Fact {

    record Requested(String from, String to, long amountMinor, String currency) implements Fact {}

    /** The source account was debited by the worker's debit, in the event with this id. */
    record Debited(String debitEventId) implements Fact {}

    record DebitRecorded() implements Fact {}

    /** The destination account was credited by the worker's credit, in the event with this id. */
    record Credited(String creditEventId) implements Fact {}

    record Refunded() implements Fact {}

    /** The command the worker sent at this step was rejected. */
    record Rejected(Step step, String code, String reason) implements Fact {}

    /** The transfer completed or failed. */
    record Finished() implements Fact {}
  }

  /** A command for an account or for the transfer itself. */
  public sealed interface Order {

    record ToAccount(String accountId, AccountCommand command) implements Order {}

    record ToTransfer(TransferCommand command) implements Order {}
  }

  /** The progress to remember after a fact, and the command to send, if any. */
  public record Reaction(Progress progress, Optional<Order> order) {}

  /**
   * The reaction to a fact, or empty when the fact calls for nothing: seen before, or out of step.
   *
   * @param progress null until the transfer was requested
   */
  public Optional<Reaction> react(String transferId, Progress progress, Fact fact) {
    if (fact instanceof Fact.Requested requested) {
      return progress != null ? Optional.empty() : send(
          new Progress(requested.from(), requested.to(), requested.amountMinor(), requested.currency(), Step.DEBIT, null, null),
          new Order.ToAccount(requested.from(), new DebitForTransfer(transferId, requested.amountMinor(),
              requested.currency(), requested.to())));
    }
    if (progress == null || progress.step() == Step.FINISHED) {
      return Optional.empty();
    }
    if (fact instanceof Fact.Finished) {
      return Optional.of(new Reaction(progress.at(Step.FINISHED), Optional.empty()));
    }
    if (fact instanceof Fact.Debited debited && progress.step() == Step.DEBIT) {
      return send(progress.at(Step.RECORD_DEBIT), new Order.ToTransfer(new RecordTransferDebit(debited.debitEventId())));
    }
    if (fact instanceof Fact.DebitRecorded && progress.step() == Step.RECORD_DEBIT) {
      return send(progress.at(Step.CREDIT), new Order.ToAccount(progress.to(),
          new CreditForTransfer(transferId, progress.amountMinor(), progress.currency(), progress.from())));
    }
    if (fact instanceof Fact.Credited credited && progress.step() == Step.CREDIT) {
      return send(progress.at(Step.COMPLETE), new Order.ToTransfer(new CompleteTransfer(credited.creditEventId())));
    }
    if (fact instanceof Fact.Rejected rejected && rejected.step() == progress.step()) {
      return rejected(transferId, progress, rejected);
    }
    if (fact instanceof Fact.Refunded && progress.step() == Step.REFUND) {
      return send(progress.at(Step.FAIL_REFUNDED), new Order.ToTransfer(
          new FailTransfer(progress.failureCode(), progress.failureReason(), true)));
    }
    return Optional.empty();
  }

  private static Optional<Reaction> rejected(String transferId, Progress progress, Fact.Rejected rejected) {
    if (rejected.step() == Step.DEBIT) {
      return send(progress.failedWith(Step.FAIL, rejected.code(), rejected.reason()),
          new Order.ToTransfer(new FailTransfer(rejected.code(), rejected.reason(), false)));
    }
    if (rejected.step() == Step.CREDIT) {
      return send(progress.failedWith(Step.REFUND, rejected.code(), rejected.reason()),
          new Order.ToAccount(progress.from(), new RefundTransfer(transferId, progress.amountMinor())));
    }
    // the transfer's own steps and the refund are never rejected unless someone else drives this transfer
    return Optional.empty();
  }

  private static Optional<Reaction> send(Progress progress, Order order) {
    return Optional.of(new Reaction(progress, Optional.of(order)));
  }
}
