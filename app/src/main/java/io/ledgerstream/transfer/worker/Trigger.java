package io.ledgerstream.transfer.worker;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.TransferCompleted;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.avro.TransferDebitRecorded;
import io.ledgerstream.avro.TransferDebited;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferFailed;
import io.ledgerstream.avro.TransferRefunded;
import io.ledgerstream.avro.TransferRequested;
import io.ledgerstream.domain.transfer.TransferProcess.Fact;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import java.util.List;

/**
 * A fact about one transfer, read from an event or a rejected result, with the ids the worker's next command cites.
 *
 * @param causationId the id of the event, or of the rejected command: a result is not an event, so the command it
 *     answers is the cause the worker can name
 * @param correlationId the correlation of the transfer's request, which every record of the transfer carries
 */
record Trigger(String causationId, String correlationId, Fact fact) {

  private static final List<Step> LEGS = List.of(Step.DEBIT, Step.CREDIT, Step.REFUND);

  /** The transfer's own event as a fact; empty for events the worker does not react to. */
  static List<Trigger> of(TransferEvent event) {
    Object payload = event.getPayload();
    Fact fact = null;
    if (payload instanceof TransferRequested requested) {
      fact = new Fact.Requested(requested.getFrom(), requested.getTo(), requested.getAmountMinor(), requested.getCurrency());
    } else if (payload instanceof TransferDebitRecorded) {
      fact = new Fact.DebitRecorded();
    } else if (payload instanceof TransferCompleted || payload instanceof TransferFailed) {
      fact = new Fact.Finished();
    }
    return fact == null ? List.of() : List.of(new Trigger(event.getMetadata(), fact));
  }

  /** The transfer a leg event belongs to, or null when the event is no transfer leg. */
  static String transferIdOf(AccountEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof TransferDebited debited) {
      return debited.getTransferId();
    }
    if (payload instanceof TransferCredited credited) {
      return credited.getTransferId();
    }
    if (payload instanceof TransferRefunded refunded) {
      return refunded.getTransferId();
    }
    return null;
  }

  /**
   * A leg event as a fact, if the worker's own command for that leg caused it; a leg someone else sent moves no
   * transfer forward.
   */
  static List<Trigger> ofLeg(String transferId, AccountEvent event) {
    Object payload = event.getPayload();
    EventMetadata metadata = event.getMetadata();
    String commandId = metadata.getCommandId();
    Fact fact = null;
    if (payload instanceof TransferDebited && commandId.equals(TransferWorkerTopology.commandId(transferId, Step.DEBIT))) {
      fact = new Fact.Debited(metadata.getEventId());
    } else if (payload instanceof TransferCredited
        && commandId.equals(TransferWorkerTopology.commandId(transferId, Step.CREDIT))) {
      fact = new Fact.Credited(metadata.getEventId());
    } else if (payload instanceof TransferRefunded
        && commandId.equals(TransferWorkerTopology.commandId(transferId, Step.REFUND))) {
      fact = new Fact.Refunded();
    }
    return fact == null ? List.of() : List.of(new Trigger(metadata, fact));
  }

  /** The rejection of one of the worker's leg commands as a fact; empty for any other result. */
  static List<Trigger> ofRejection(String transferId, CommandResult result) {
    if (result.getStatus() != CommandStatus.REJECTED || result.getRejection() == null) {
      return List.of();
    }
    String correlationId = result.getCorrelationId() != null ? result.getCorrelationId() : result.getCommandId();
    return LEGS.stream()
        .filter(step -> result.getCommandId().equals(TransferWorkerTopology.commandId(transferId, step)))
        .map(step -> new Trigger(result.getCommandId(), correlationId,
            new Fact.Rejected(step, result.getRejection().getCode(), result.getRejection().getMessage())))
        .toList();
  }

  private Trigger(EventMetadata cause, Fact fact) {
    this(cause.getEventId(), cause.getCorrelationId(), fact);
  }
}
