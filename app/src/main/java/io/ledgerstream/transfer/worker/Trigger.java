package io.ledgerstream.transfer.worker;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.v2.TransferRequested;
import io.ledgerstream.domain.transfer.TransferProcess.Fact;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import java.util.Arrays;
import java.util.List;

/**
 * A fact about one transfer, read from its request or from the result of one of the worker's own commands, with the
 * ids the worker's next command cites.
 *
 * @param causationId the id of the event the command caused (its first), or of the command when it caused none
 * @param correlationId the correlation of the transfer's request, which every record of the transfer carries
 */
record Trigger(String causationId, String correlationId, Fact fact) {

  /** The transfer's request as a fact; empty for its other events, whose commands' results tell the worker more. */
  static List<Trigger> of(TransferEvent event) {
    if (!(event.getPayload() instanceof TransferRequested requested)) {
      return List.of();
    }
    EventMetadata metadata = event.getMetadata();
    return List.of(new Trigger(metadata.getEventId(), metadata.getCorrelationId(), new Fact.Requested(
        requested.getFrom(), requested.getTo(), requested.getAmount().getMinor(),
        requested.getAmount().getCurrency())));
  }

  /**
   * The result of the worker's command at one of its steps as a fact: accepted with its first event, or rejected.
   * Empty when the command id is none of this transfer's steps.
   */
  static List<Trigger> ofResult(String transferId, CommandResult result) {
    String commandId = result.getCommandId();
    String correlationId = result.getCorrelationId() != null ? result.getCorrelationId() : commandId;
    return Arrays.stream(Step.values())
        .filter(step -> commandId.equals(TransferWorkerTopology.commandId(transferId, step)))
        .map(step -> result.getStatus() == CommandStatus.ACCEPTED
            ? accepted(step, result, correlationId)
            : new Trigger(commandId, correlationId, new Fact.Rejected(step,
                result.getRejection() == null ? "UNKNOWN" : result.getRejection().getCode(),
                result.getRejection() == null ? "rejected without a reason" : result.getRejection().getMessage())))
        .toList();
  }

  private static Trigger accepted(Step step, CommandResult result, String correlationId) {
    String eventId = result.getEventIds().isEmpty() ? null : result.getEventIds().get(0);
    return new Trigger(eventId != null ? eventId : result.getCommandId(), correlationId,
        new Fact.Accepted(step, eventId));
  }
}
