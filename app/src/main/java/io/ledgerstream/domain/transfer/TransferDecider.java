package io.ledgerstream.domain.transfer;

import static io.ledgerstream.domain.Decision.accept;
import static io.ledgerstream.domain.Decision.reject;
import static io.ledgerstream.domain.RejectionCode.INVALID_AMOUNT;
import static io.ledgerstream.domain.RejectionCode.INVALID_COMMAND;
import static io.ledgerstream.domain.RejectionCode.INVALID_CURRENCY;
import static io.ledgerstream.domain.RejectionCode.TRANSFER_EXISTS;
import static io.ledgerstream.domain.RejectionCode.TRANSFER_INVALID_STATE;
import static io.ledgerstream.domain.RejectionCode.TRANSFER_NOT_FOUND;
import static io.ledgerstream.domain.RejectionCode.TRANSFER_SAME_ACCOUNT;

import io.ledgerstream.domain.Currencies;
import io.ledgerstream.domain.Decider;
import io.ledgerstream.domain.Decision;
import io.ledgerstream.domain.transfer.Transfer.Status;
import io.ledgerstream.domain.transfer.TransferCommand.CompleteTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FailTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FlagTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.RecordTransferDebit;
import io.ledgerstream.domain.transfer.TransferCommand.RequestTransfer;
import io.ledgerstream.domain.transfer.TransferEvent.TransferCompleted;
import io.ledgerstream.domain.transfer.TransferEvent.TransferDebitRecorded;
import io.ledgerstream.domain.transfer.TransferEvent.TransferFailed;
import io.ledgerstream.domain.transfer.TransferEvent.TransferNeedsAttention;
import io.ledgerstream.domain.transfer.TransferEvent.TransferRequested;
import java.util.Locale;

/**
 * The state machine the transfer worker drives: requested, then debited, then completed, or failed from requested
 * (the debit was rejected) or from debited once the source was refunded; flagged as needing attention when the
 * worker could not bring the money back (also after a failure, when a debit given up on arrived late).
 *
 * <p>Each step is accepted exactly once and only in order, so a duplicate or out-of-order report from the worker
 * is rejected instead of recording a second event or skipping the refund that keeps money conserved.
 */
public final class TransferDecider implements Decider<TransferCommand, TransferEvent, Transfer> {

  @Override
  public Transfer initialState() {
    return Transfer.NONE;
  }

  @Override
  public Decision<TransferEvent> decide(TransferCommand command, Transfer transfer) {
    if (command instanceof RequestTransfer request) {
      return request(request, transfer);
    }
    if (transfer.status() == Status.NOT_REQUESTED) {
      return reject(TRANSFER_NOT_FOUND, "transfer does not exist");
    }
    if (command instanceof FlagTransfer flag) {
      return flag(flag, transfer);
    }
    if (transfer.isFinished()) {
      return reject(TRANSFER_INVALID_STATE, "transfer is " + name(transfer.status()) + " and accepts no more commands");
    }
    if (command instanceof RecordTransferDebit debit) {
      return recordDebit(debit, transfer);
    }
    if (command instanceof CompleteTransfer complete) {
      return complete(complete, transfer);
    }
    if (command instanceof FailTransfer fail) {
      return fail(fail, transfer);
    }
    throw new IllegalArgumentException("unknown transfer command: " + command.getClass().getName());
  }

  @Override
  public Transfer evolve(Transfer transfer, TransferEvent event) {
    if (event instanceof TransferRequested requested) {
      return new Transfer(Status.REQUESTED, requested.from(), requested.to(), requested.amountMinor(),
          requested.currency(), null, null, false);
    }
    if (event instanceof TransferDebitRecorded) {
      return transfer.withStatus(Status.DEBITED);
    }
    if (event instanceof TransferCompleted) {
      return transfer.withStatus(Status.COMPLETED);
    }
    if (event instanceof TransferFailed failed) {
      return transfer.failed(failed.code(), failed.reason(), failed.refunded());
    }
    if (event instanceof TransferNeedsAttention flagged) {
      return transfer.needingAttention(flagged.code(), flagged.reason());
    }
    throw new IllegalArgumentException("unknown transfer event: " + event.getClass().getName());
  }

  private static Decision<TransferEvent> request(RequestTransfer request, Transfer transfer) {
    if (transfer.status() != Status.NOT_REQUESTED) {
      return reject(TRANSFER_EXISTS, "transfer was already requested");
    }
    if (isBlank(request.from()) || isBlank(request.to())) {
      return reject(INVALID_COMMAND, "from and to accounts must not be blank");
    }
    if (request.from().equals(request.to())) {
      return reject(TRANSFER_SAME_ACCOUNT, "cannot transfer from account " + request.from() + " to itself");
    }
    if (request.amountMinor() <= 0) {
      return reject(INVALID_AMOUNT, "amount must be positive, was " + request.amountMinor());
    }
    if (!Currencies.isIsoCode(request.currency())) {
      return reject(INVALID_CURRENCY, "'" + request.currency() + "' is not an ISO-4217 currency code");
    }
    return accept(new TransferRequested(request.from(), request.to(), request.amountMinor(), request.currency()));
  }

  private static Decision<TransferEvent> recordDebit(RecordTransferDebit debit, Transfer transfer) {
    if (transfer.status() != Status.REQUESTED) {
      return reject(TRANSFER_INVALID_STATE, "the debit of this transfer was already recorded");
    }
    if (isBlank(debit.debitEventId())) {
      return reject(INVALID_COMMAND, "debitEventId must not be blank");
    }
    return accept(new TransferDebitRecorded(debit.debitEventId()));
  }

  private static Decision<TransferEvent> complete(CompleteTransfer complete, Transfer transfer) {
    if (transfer.status() != Status.DEBITED) {
      return reject(TRANSFER_INVALID_STATE, "transfer cannot complete before its debit is recorded");
    }
    if (isBlank(complete.creditEventId())) {
      return reject(INVALID_COMMAND, "creditEventId must not be blank");
    }
    return accept(new TransferCompleted(complete.creditEventId()));
  }

  private static Decision<TransferEvent> fail(FailTransfer fail, Transfer transfer) {
    if (transfer.status() == Status.REQUESTED && fail.refunded()) {
      return reject(TRANSFER_INVALID_STATE, "nothing was debited yet, so nothing can have been refunded");
    }
    if (transfer.status() == Status.DEBITED && !fail.refunded()) {
      return reject(TRANSFER_INVALID_STATE, "the debited amount must be refunded before the transfer can fail");
    }
    if (isBlank(fail.code()) || isBlank(fail.reason())) {
      return reject(INVALID_COMMAND, "failure code and reason must not be blank");
    }
    return accept(new TransferFailed(fail.code(), fail.reason(), fail.refunded()));
  }

  private static Decision<TransferEvent> flag(FlagTransfer flag, Transfer transfer) {
    if (transfer.status() == Status.COMPLETED || transfer.status() == Status.NEEDS_ATTENTION) {
      return reject(TRANSFER_INVALID_STATE, "transfer is " + name(transfer.status()) + " and cannot be flagged");
    }
    if (isBlank(flag.code()) || isBlank(flag.reason())) {
      return reject(INVALID_COMMAND, "code and reason must not be blank");
    }
    return accept(new TransferNeedsAttention(flag.code(), flag.reason()));
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private static String name(Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
