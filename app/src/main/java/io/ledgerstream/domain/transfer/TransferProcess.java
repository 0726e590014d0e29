package io.ledgerstream.domain.transfer;

import io.ledgerstream.domain.account.AccountCommand;
import io.ledgerstream.domain.account.AccountCommand.CreditForTransfer;
import io.ledgerstream.domain.account.AccountCommand.DebitForTransfer;
import io.ledgerstream.domain.account.AccountCommand.RefundTransfer;
import io.ledgerstream.domain.account.AccountCommand.SettleTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.CompleteTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FailTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FlagTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.RecordTransferDebit;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The transfer worker's policy: which command each outcome of the worker's own commands calls for. Debit the source,
 * record the debit, credit the destination, complete, settle the source; a rejected debit fails the transfer, a
 * rejected credit refunds the source and then fails it, a rejected refund flags the transfer for an operator.
 *
 * <p>Each outcome moves the transfer one step forward only from the step that expects it, so an outcome seen twice
 * leads to nothing. A step that is not answered in time is sent again, the same command under the same id; after
 * {@code maxTries} sends of a leg on an account the transfer gives that leg up: it fails before the debit, is
 * refunded after it, and is flagged when the refund itself goes unanswered. The transfer's own steps and the
 * settlement move no money and are sent again until answered.
 */
public final class TransferProcess {

  /**
   * The command the worker sent last, which also names it; {@link #FINISHED} once the worker has nothing left to
   * send. The names reach storage (the worker's stored progress, the ids of its commands): never rename one.
   */
  public enum Step {
    DEBIT, RECORD_DEBIT, CREDIT, COMPLETE, FAIL, REFUND, FAIL_REFUNDED, FINISHED, SETTLE, FLAG, LATE_REFUND
  }

  /** The failure code of a transfer whose leg went unanswered {@code maxTries} times. */
  public static final String TIMED_OUT = "TRANSFER_TIMED_OUT";

  /** The legs whose tries are bounded: they move money on an account, and giving one up has a defined way back. */
  private static final Set<Step> BOUNDED = Set.of(Step.DEBIT, Step.CREDIT, Step.REFUND, Step.LATE_REFUND);

  /**
   * Where the current step's command came from, so a re-send is the very same command.
   *
   * @param causationId the event (or rejected command) that caused it
   * @param correlationId the transfer's correlation
   * @param issuedAtMillis when it was first sent
   */
  public record Cause(String causationId, String correlationId, long issuedAtMillis) {}

  /**
   * What the worker remembers about one transfer.
   *
   * @param failureCode why the transfer fails or needs attention, once it does
   * @param eventId the debit or credit event the current step cites, once there is one
   * @param attempts how many times the current step's command was sent
   * @param cause where the current step's command came from; null only in progress stored before it was kept
   */
  public record Progress(String from, String to, long amountMinor, String currency, Step step,
                         String failureCode, String failureReason, String eventId, int attempts, Cause cause) {

    /** Progress as the worker stored it before it kept tries, cited events and causes. */
    public Progress(String from, String to, long amountMinor, String currency, Step step, String failureCode,
                    String failureReason) {
      this(from, to, amountMinor, currency, step, failureCode, failureReason, null, 1, null);
    }

    Progress at(Step next, String citedEventId, Cause newCause) {
      return new Progress(from, to, amountMinor, currency, next, failureCode, failureReason, citedEventId, 1, newCause);
    }

    Progress failing(Step next, String code, String reason, Cause newCause) {
      return new Progress(from, to, amountMinor, currency, next, code, reason, eventId, 1, newCause);
    }

    Progress triedAgain() {
      return new Progress(from, to, amountMinor, currency, step, failureCode, failureReason, eventId, attempts + 1,
          cause);
    }

    public boolean isFinished() {
      return step == Step.FINISHED;
    }
  }

  /** Something that happened to a transfer, as far as the worker cares. */
  public sealed interface Fact {

    record Requested(String from, String to, long amountMinor, String currency) implements Fact {}

    /** The command the worker sent at this step was accepted; {@code eventId} is its first event, if any. */
    record Accepted(Step step, String eventId) implements Fact {}

    /** The command the worker sent at this step was rejected. */
    record Rejected(Step step, String code, String reason) implements Fact {}

    /** The current step's deadline passed without an answer. */
    record TimedOut() implements Fact {}
  }

  /** A command for an account or for the transfer itself. */
  public sealed interface Order {

    record ToAccount(String accountId, AccountCommand command) implements Order {}

    record ToTransfer(TransferCommand command) implements Order {}
  }

  /** The progress to remember after a fact, and the command to send, if any. */
  public record Reaction(Progress progress, Optional<Order> order) {}

  private final int maxTries;

  /** @param maxTries how many times a leg on an account is sent before the transfer gives it up; at least 1 */
  public TransferProcess(int maxTries) {
    if (maxTries < 1) {
      throw new IllegalArgumentException("maxTries must be at least 1, got " + maxTries);
    }
    this.maxTries = maxTries;
  }

  /**
   * The reaction to a fact, or empty when the fact calls for nothing: seen before, or out of step.
   *
   * @param progress null until the transfer was requested
   * @param cause where the fact came from; unused for {@link Fact.TimedOut}, which re-sends the stored command
   */
  public Optional<Reaction> react(String transferId, Progress progress, Fact fact, Cause cause) {
    if (fact instanceof Fact.Requested requested) {
      return progress != null ? Optional.empty() : send(transferId, new Progress(requested.from(), requested.to(),
          requested.amountMinor(), requested.currency(), Step.DEBIT, null, null, null, 1, cause));
    }
    if (progress == null) {
      return Optional.empty();
    }
    if (fact instanceof Fact.TimedOut) {
      return timedOut(transferId, progress);
    }
    if (fact instanceof Fact.Accepted accepted) {
      return accepted.step() == progress.step()
          ? send(transferId, next(progress, accepted, cause))
          : late(transferId, progress, accepted, cause);
    }
    if (fact instanceof Fact.Rejected rejected && rejected.step() == progress.step()) {
      return send(transferId, rejected(progress, rejected, cause));
    }
    return Optional.empty();
  }

  /** The command a step sends, or empty for {@link Step#FINISHED}; a re-send builds the very same one. */
  public static Optional<Order> order(String transferId, Progress progress) {
    Order order = switch (progress.step()) {
      case DEBIT -> new Order.ToAccount(progress.from(), new DebitForTransfer(transferId, progress.amountMinor(),
          progress.currency(), progress.to()));
      case RECORD_DEBIT -> new Order.ToTransfer(new RecordTransferDebit(progress.eventId()));
      case CREDIT -> new Order.ToAccount(progress.to(), new CreditForTransfer(transferId, progress.amountMinor(),
          progress.currency(), progress.from()));
      case COMPLETE -> new Order.ToTransfer(new CompleteTransfer(progress.eventId()));
      case SETTLE -> new Order.ToAccount(progress.from(), new SettleTransfer(transferId));
      case FAIL -> new Order.ToTransfer(new FailTransfer(progress.failureCode(), progress.failureReason(), false));
      case REFUND, LATE_REFUND -> new Order.ToAccount(progress.from(),
          new RefundTransfer(transferId, progress.amountMinor()));
      case FAIL_REFUNDED -> new Order.ToTransfer(
          new FailTransfer(progress.failureCode(), progress.failureReason(), true));
      case FLAG -> new Order.ToTransfer(new FlagTransfer(progress.failureCode(), progress.failureReason()));
      case FINISHED -> null;
    };
    return Optional.ofNullable(order);
  }

  private static Progress next(Progress progress, Fact.Accepted accepted, Cause cause) {
    return switch (progress.step()) {
      case DEBIT -> progress.at(Step.RECORD_DEBIT, accepted.eventId(), cause);
      case RECORD_DEBIT -> progress.at(Step.CREDIT, progress.eventId(), cause);
      case CREDIT -> progress.at(Step.COMPLETE, accepted.eventId(), cause);
      case COMPLETE -> progress.at(Step.SETTLE, progress.eventId(), cause);
      case REFUND -> progress.at(Step.FAIL_REFUNDED, progress.eventId(), cause);
      case SETTLE, FAIL, FAIL_REFUNDED, FLAG, LATE_REFUND, FINISHED -> progress.at(Step.FINISHED, progress.eventId(),
          cause);
    };
  }

  private static Progress rejected(Progress progress, Fact.Rejected rejected, Cause cause) {
    return switch (rejected.step()) {
      case DEBIT -> progress.failing(Step.FAIL, rejected.code(), rejected.reason(), cause);
      case CREDIT -> progress.failing(Step.REFUND, rejected.code(), rejected.reason(), cause);
      case REFUND, LATE_REFUND -> progress.failing(Step.FLAG, rejected.code(), "the refund of " + progress.amountMinor()
          + " " + progress.currency() + " to " + progress.from() + " was rejected: " + rejected.reason(), cause);
      // the transfer's own steps and the settlement are rejected only when someone else drove this transfer; its
      // record then says what happened, and the worker has nothing left to send
      default -> progress.at(Step.FINISHED, progress.eventId(), cause);
    };
  }

  /**
   * An accepted leg the worker had given up on: a debit that came after the transfer failed is refunded, a credit
   * that came after the refund started leaves the amount on both accounts, which only an operator can undo.
   */
  private static Optional<Reaction> late(String transferId, Progress progress, Fact.Accepted accepted, Cause cause) {
    boolean gaveUp = TIMED_OUT.equals(progress.failureCode());
    if (gaveUp && accepted.step() == Step.DEBIT && progress.eventId() == null
        && (progress.step() == Step.FAIL || progress.step() == Step.FINISHED)) {
      return send(transferId, progress.at(Step.LATE_REFUND, accepted.eventId(), cause));
    }
    if (gaveUp && accepted.step() == Step.CREDIT
        && (progress.step() == Step.REFUND || progress.step() == Step.FAIL_REFUNDED)) {
      return send(transferId, progress.failing(Step.FLAG, TIMED_OUT, "the credit of " + progress.amountMinor() + " "
          + progress.currency() + " to " + progress.to() + " was accepted after the worker had given it up and "
          + "refunded " + progress.from() + ": the amount is on both accounts", cause));
    }
    return Optional.empty();
  }

  private Optional<Reaction> timedOut(String transferId, Progress progress) {
    // progress stored before the worker kept the events it cites cannot rebuild the transfer's own steps
    boolean citesAnEvent = progress.step() == Step.RECORD_DEBIT || progress.step() == Step.COMPLETE;
    if (progress.isFinished() || citesAnEvent && progress.eventId() == null) {
      return Optional.empty();
    }
    if (progress.attempts() < maxTries || !BOUNDED.contains(progress.step())) {
      return send(transferId, progress.triedAgain());
    }
    String unanswered = "the " + progress.step().name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + " was not answered after " + progress.attempts() + " tries";
    Cause cause = progress.cause();
    return send(transferId, switch (progress.step()) {
      case DEBIT -> progress.failing(Step.FAIL, TIMED_OUT, unanswered, cause);
      case CREDIT -> progress.failing(Step.REFUND, TIMED_OUT, unanswered, cause);
      default -> progress.failing(Step.FLAG, TIMED_OUT, unanswered, cause);
    });
  }

  private static Optional<Reaction> send(String transferId, Progress progress) {
    return Optional.of(new Reaction(progress, order(transferId, progress)));
  }
}
