package io.ledgerstream.transfer.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.Rejection;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.avro.TransferDebited;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferRefunded;
import io.ledgerstream.avro.TransferRequested;
import io.ledgerstream.domain.transfer.TransferProcess.Fact;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerTest {

  private static final String DEBIT_ID = TransferWorkerTopology.commandId("T-1", Step.DEBIT);

  @Test
  void aLegEventCausedByTheWorkersOwnCommandIsAFactCitingTheEvent() {
    AccountEvent debited = accountEvent(DEBIT_ID, new TransferDebited("T-1", 100L, "B"));

    assertThat(Trigger.transferIdOf(debited)).isEqualTo("T-1");
    assertThat(Trigger.ofLeg("T-1", debited)).containsExactly(
        new Trigger("event-1", "journey", new Fact.Debited("event-1")));
  }

  @Test
  void aLegEventCausedByAnyOtherCommandIsNoFact() {
    AccountEvent strayDebit = accountEvent("someone-else", new TransferDebited("T-1", 100L, "B"));
    AccountEvent creditWithTheDebitsId = accountEvent(DEBIT_ID, new TransferCredited("T-1", 100L, "A"));
    AccountEvent refundOfAnotherTransfer = accountEvent(TransferWorkerTopology.commandId("T-2", Step.REFUND),
        new TransferRefunded("T-1", 100L));

    assertThat(Trigger.ofLeg("T-1", strayDebit)).isEmpty();
    assertThat(Trigger.ofLeg("T-1", creditWithTheDebitsId)).isEmpty();
    assertThat(Trigger.ofLeg("T-1", refundOfAnotherTransfer)).isEmpty();
  }

  @Test
  void accountEventsThatAreNoLegHaveNoTransfer() {
    assertThat(Trigger.transferIdOf(accountEvent("c", MoneyDeposited.newBuilder().setAmountMinor(5).build()))).isNull();
  }

  @Test
  void aRejectedLegIsAFactCitingTheRejectedCommand() {
    CommandResult rejected = result(DEBIT_ID, CommandStatus.REJECTED);

    assertThat(Trigger.ofRejection("T-1", rejected)).containsExactly(
        new Trigger(DEBIT_ID, "journey", new Fact.Rejected(Step.DEBIT, "INSUFFICIENT_FUNDS", "not enough")));
  }

  @Test
  void acceptedResultsAndResultsOfOtherCommandsAreNoFact() {
    assertThat(Trigger.ofRejection("T-1", result(DEBIT_ID, CommandStatus.ACCEPTED))).isEmpty();
    assertThat(Trigger.ofRejection("T-1", result("someone-else", CommandStatus.REJECTED))).isEmpty();
    assertThat(Trigger.ofRejection("T-2", result(DEBIT_ID, CommandStatus.REJECTED))).isEmpty();
  }

  @Test
  void aRequestedTransferIsAFactCitingItsEvent() {
    TransferEvent requested = new TransferEvent(metadata("request"), new TransferRequested("A", "B", 100L, "EUR"));

    assertThat(Trigger.of(requested)).containsExactly(
        new Trigger("event-1", "journey", new Fact.Requested("A", "B", 100L, "EUR")));
  }

  private static AccountEvent accountEvent(String commandId, Object payload) {
    return new AccountEvent(metadata(commandId), payload);
  }

  private static EventMetadata metadata(String commandId) {
    return EventMetadata.newBuilder().setEventId("event-1").setCommandId(commandId).setCorrelationId("journey")
        .setCausationId(commandId).setAggregateId("A").setAggregateVersion(3).setOccurredAt(Instant.EPOCH).build();
  }

  private static CommandResult result(String commandId, CommandStatus status) {
    return CommandResult.newBuilder().setCommandId(commandId).setAggregateType("account").setAggregateId("A")
        .setStatus(status)
        .setRejection(status == CommandStatus.REJECTED ? new Rejection("INSUFFICIENT_FUNDS", "not enough") : null)
        .setVersion(2).setEventIds(List.of()).setCorrelationId("journey").setProcessedAt(Instant.EPOCH).build();
  }
}
