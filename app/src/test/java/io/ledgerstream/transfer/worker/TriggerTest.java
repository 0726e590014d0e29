package io.ledgerstream.transfer.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.Money;
import io.ledgerstream.avro.Rejection;
import io.ledgerstream.avro.TransferCompleted;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.v2.TransferRequested;
import io.ledgerstream.domain.transfer.TransferProcess.Fact;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerTest {

  private static final String DEBIT_ID = TransferWorkerTopology.commandId("T-1", Step.DEBIT);

  @Test
  void anAcceptedStepIsAFactCitingItsFirstEvent() {
    CommandResult accepted = result(DEBIT_ID, CommandStatus.ACCEPTED, List.of("event-7"));

    assertThat(Trigger.ofResult("T-1", accepted)).containsExactly(
        new Trigger("event-7", "journey", new Fact.Accepted(Step.DEBIT, "event-7")));
  }

  @Test
  void anAcceptedStepWithoutEventsCitesItsCommand() {
    String settleId = TransferWorkerTopology.commandId("T-1", Step.SETTLE);

    assertThat(Trigger.ofResult("T-1", result(settleId, CommandStatus.ACCEPTED, List.of()))).containsExactly(
        new Trigger(settleId, "journey", new Fact.Accepted(Step.SETTLE, null)));
  }

  @Test
  void aRejectedStepIsAFactCitingTheRejectedCommand() {
    CommandResult rejected = result(DEBIT_ID, CommandStatus.REJECTED, List.of());

    assertThat(Trigger.ofResult("T-1", rejected)).containsExactly(
        new Trigger(DEBIT_ID, "journey", new Fact.Rejected(Step.DEBIT, "INSUFFICIENT_FUNDS", "not enough")));
  }

  @Test
  void resultsOfCommandsThatAreNoStepOfTheTransferAreNoFact() {
    assertThat(Trigger.ofResult("T-1", result("someone-else", CommandStatus.REJECTED, List.of()))).isEmpty();
    assertThat(Trigger.ofResult("T-2", result(DEBIT_ID, CommandStatus.ACCEPTED, List.of("event-1")))).isEmpty();
  }

  @Test
  void aRequestedTransferIsAFactCitingItsEvent() {
    TransferEvent requested = new TransferEvent(metadata("request"), new TransferRequested("A", "B", new Money(100L, "EUR")));

    assertThat(Trigger.of(requested)).containsExactly(
        new Trigger("event-1", "journey", new Fact.Requested("A", "B", 100L, "EUR")));
  }

  @Test
  void theTransfersOtherEventsAreNoFact() {
    assertThat(Trigger.of(new TransferEvent(metadata("complete"), new TransferCompleted("credit")))).isEmpty();
  }

  private static EventMetadata metadata(String commandId) {
    return EventMetadata.newBuilder().setEventId("event-1").setCommandId(commandId).setCorrelationId("journey")
        .setCausationId(commandId).setAggregateId("A").setAggregateVersion(3).setOccurredAt(Instant.EPOCH).build();
  }

  private static CommandResult result(String commandId, CommandStatus status, List<String> eventIds) {
    return CommandResult.newBuilder().setCommandId(commandId).setAggregateType("account").setAggregateId("A")
        .setStatus(status)
        .setRejection(status == CommandStatus.REJECTED ? new Rejection("INSUFFICIENT_FUNDS", "not enough") : null)
        .setVersion(2).setEventIds(eventIds).setCorrelationId("journey").setProcessedAt(Instant.EPOCH).build();
  }
}
