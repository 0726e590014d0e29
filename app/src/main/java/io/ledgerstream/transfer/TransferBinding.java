package io.ledgerstream.transfer;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.Money;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.domain.Decider;
import io.ledgerstream.domain.transfer.Transfer;
import io.ledgerstream.domain.transfer.TransferCommand;
import io.ledgerstream.domain.transfer.TransferDecider;
import io.ledgerstream.domain.transfer.TransferEvent;
import io.ledgerstream.streams.AggregateBinding;
import io.ledgerstream.streams.Snapshot;

/**
 * Maps the transfer's Avro records to its domain records and back; a snapshot needs a requested transfer. Events are
 * read in their newest shape only: the transfer type's upcasters bring older ones there before they reach it.
 */
public final class TransferBinding implements AggregateBinding<TransferCommand, TransferEvent, Transfer,
    io.ledgerstream.avro.TransferCommand, io.ledgerstream.avro.TransferEvent, TransferState> {

  private final TransferDecider decider = new TransferDecider();

  @Override
  public Decider<TransferCommand, TransferEvent, Transfer> decider() {
    return decider;
  }

  @Override
  public TransferCommand command(io.ledgerstream.avro.TransferCommand command) {
    Object payload = command.getPayload();
    if (payload instanceof io.ledgerstream.avro.RequestTransfer c) {
      return new TransferCommand.RequestTransfer(c.getFrom(), c.getTo(), c.getAmountMinor(), c.getCurrency());
    }
    if (payload instanceof io.ledgerstream.avro.RecordTransferDebit c) {
      return new TransferCommand.RecordTransferDebit(c.getDebitEventId());
    }
    if (payload instanceof io.ledgerstream.avro.CompleteTransfer c) {
      return new TransferCommand.CompleteTransfer(c.getCreditEventId());
    }
    if (payload instanceof io.ledgerstream.avro.FailTransfer c) {
      return new TransferCommand.FailTransfer(c.getCode(), c.getReason(), c.getRefunded());
    }
    if (payload instanceof io.ledgerstream.avro.FlagTransfer c) {
      return new TransferCommand.FlagTransfer(c.getCode(), c.getReason());
    }
    throw new IllegalArgumentException("unknown transfer command payload: " + describe(payload));
  }

  @Override
  public io.ledgerstream.avro.TransferCommand command(CommandMetadata metadata, TransferCommand command) {
    return new io.ledgerstream.avro.TransferCommand(metadata, payload(command));
  }

  @Override
  public io.ledgerstream.avro.TransferEvent event(EventMetadata metadata, TransferEvent event) {
    return new io.ledgerstream.avro.TransferEvent(metadata, payload(event));
  }

  @Override
  public TransferEvent event(io.ledgerstream.avro.TransferEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof io.ledgerstream.avro.v2.TransferRequested e) {
      return new TransferEvent.TransferRequested(e.getFrom(), e.getTo(), e.getAmount().getMinor(),
          e.getAmount().getCurrency());
    }
    if (payload instanceof io.ledgerstream.avro.TransferDebitRecorded e) {
      return new TransferEvent.TransferDebitRecorded(e.getDebitEventId());
    }
    if (payload instanceof io.ledgerstream.avro.TransferCompleted e) {
      return new TransferEvent.TransferCompleted(e.getCreditEventId());
    }
    if (payload instanceof io.ledgerstream.avro.TransferFailed e) {
      return new TransferEvent.TransferFailed(e.getCode(), e.getReason(), e.getRefunded());
    }
    if (payload instanceof io.ledgerstream.avro.TransferNeedsAttention e) {
      return new TransferEvent.TransferNeedsAttention(e.getCode(), e.getReason());
    }
    throw new IllegalArgumentException("unknown transfer event payload: " + describe(payload));
  }

  @Override
  public TransferState snapshot(String transferId, Snapshot<Transfer> snapshot) {
    Transfer transfer = snapshot.state();
    TransferStatus status = status(transfer.status());
    return TransferState.newBuilder()
        .setTransferId(transferId)
        .setFrom(transfer.from())
        .setTo(transfer.to())
        .setAmountMinor(transfer.amountMinor())
        .setCurrency(transfer.currency())
        .setStatus(status)
        .setFailureCode(transfer.failureCode())
        .setFailureReason(transfer.failureReason())
        .setRefunded(transfer.refunded())
        .setVersion(snapshot.version())
        .setRequestedAt(snapshot.createdAt())
        .setUpdatedAt(snapshot.updatedAt())
        .build();
  }

  @Override
  public Snapshot<Transfer> snapshot(TransferState state) {
    Transfer transfer = new Transfer(status(state.getStatus()), state.getFrom(), state.getTo(), state.getAmountMinor(),
        state.getCurrency(), state.getFailureCode(), state.getFailureReason(), state.getRefunded());
    return new Snapshot<>(transfer, state.getVersion(), state.getRequestedAt(), state.getUpdatedAt());
  }

  private static TransferStatus status(Transfer.Status status) {
    return switch (status) {
      case REQUESTED -> TransferStatus.REQUESTED;
      case DEBITED -> TransferStatus.DEBITED;
      case COMPLETED -> TransferStatus.COMPLETED;
      case FAILED -> TransferStatus.FAILED;
      case NEEDS_ATTENTION -> TransferStatus.NEEDS_ATTENTION;
      // the processor snapshots only after an event, and the first one is always TransferRequested
      case NOT_REQUESTED -> throw new IllegalArgumentException("a transfer that was never requested has no snapshot");
    };
  }

  private static Transfer.Status status(TransferStatus status) {
    return switch (status) {
      case REQUESTED -> Transfer.Status.REQUESTED;
      case DEBITED -> Transfer.Status.DEBITED;
      case COMPLETED -> Transfer.Status.COMPLETED;
      case FAILED -> Transfer.Status.FAILED;
      case NEEDS_ATTENTION -> Transfer.Status.NEEDS_ATTENTION;
    };
  }

  private static Object payload(TransferCommand command) {
    if (command instanceof TransferCommand.RequestTransfer c) {
      return new io.ledgerstream.avro.RequestTransfer(c.from(), c.to(), c.amountMinor(), c.currency());
    }
    if (command instanceof TransferCommand.RecordTransferDebit c) {
      return new io.ledgerstream.avro.RecordTransferDebit(c.debitEventId());
    }
    if (command instanceof TransferCommand.CompleteTransfer c) {
      return new io.ledgerstream.avro.CompleteTransfer(c.creditEventId());
    }
    if (command instanceof TransferCommand.FailTransfer c) {
      return new io.ledgerstream.avro.FailTransfer(c.code(), c.reason(), c.refunded());
    }
    if (command instanceof TransferCommand.FlagTransfer c) {
      return new io.ledgerstream.avro.FlagTransfer(c.code(), c.reason());
    }
    throw new IllegalArgumentException("unknown transfer command: " + command.getClass().getName());
  }

  private static Object payload(TransferEvent event) {
    if (event instanceof TransferEvent.TransferRequested e) {
      return new io.ledgerstream.avro.v2.TransferRequested(e.from(), e.to(), new Money(e.amountMinor(), e.currency()));
    }
    if (event instanceof TransferEvent.TransferDebitRecorded e) {
      return new io.ledgerstream.avro.TransferDebitRecorded(e.debitEventId());
    }
    if (event instanceof TransferEvent.TransferCompleted e) {
      return new io.ledgerstream.avro.TransferCompleted(e.creditEventId());
    }
    if (event instanceof TransferEvent.TransferFailed e) {
      return new io.ledgerstream.avro.TransferFailed(e.code(), e.reason(), e.refunded());
    }
    if (event instanceof TransferEvent.TransferNeedsAttention e) {
      return new io.ledgerstream.avro.TransferNeedsAttention(e.code(), e.reason());
    }
    throw new IllegalArgumentException("unknown transfer event: " + event.getClass().getName());
  }

  private static String describe(Object payload) {
    return payload == null ? "null" : payload.getClass().getName();
  }
}
