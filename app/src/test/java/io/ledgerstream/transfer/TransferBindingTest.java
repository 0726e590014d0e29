package io.ledgerstream.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.domain.transfer.Transfer;
import io.ledgerstream.domain.transfer.TransferCommand;
import io.ledgerstream.domain.transfer.TransferEvent;
import io.ledgerstream.streams.Snapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferBindingTest {

  private static final TransferBinding BINDING = new TransferBinding();
  private static final Instant REQUESTED_AT = Instant.parse("2024-06-11T10:00:00Z");
  private static final Instant UPDATED_AT = Instant.parse("2024-06-11T10:00:05Z");

  private static final CommandMetadata COMMAND_METADATA = CommandMetadata.newBuilder()
      .setCommandId("c-1")
      .setCorrelationId("corr-1")
      .setCausationId("e-0")
      .setIssuedAt(REQUESTED_AT)
      .setIssuedBy("worker")
      .setExpectedVersion(2L)
      .build();

  private static final EventMetadata EVENT_METADATA = EventMetadata.newBuilder()
      .setEventId("e-1")
      .setCommandId("c-1")
      .setCorrelationId("corr-1")
      .setCausationId("c-1")
      .setAggregateId("t-1")
      .setAggregateVersion(3)
      .setOccurredAt(UPDATED_AT)
      .build();

  @Test
  void typeIsTransfer() {
    assertThat(TransferType.TYPE.name()).isEqualTo("transfer");
    assertThat(TransferType.TYPE.binding()).isSameAs(TransferType.BINDING);
    assertThat(BINDING.decider().initialState()).isEqualTo(Transfer.NONE);
  }

  @Test
  void mapsEveryCommandPayloadToItsDomainCommand() throws IOException {
    List<Object> payloads = List.of(
        new io.ledgerstream.avro.RequestTransfer("a", "b", 250L, "EUR"),
        new io.ledgerstream.avro.RecordTransferDebit("debit-1"),
        new io.ledgerstream.avro.CompleteTransfer("credit-1"),
        new io.ledgerstream.avro.FailTransfer("ACCOUNT_CLOSED", "account is closed", true));
    List<TransferCommand> expected = List.of(
        new TransferCommand.RequestTransfer("a", "b", 250, "EUR"),
        new TransferCommand.RecordTransferDebit("debit-1"),
        new TransferCommand.CompleteTransfer("credit-1"),
        new TransferCommand.FailTransfer("ACCOUNT_CLOSED", "account is closed", true));
    for (int i = 0; i < payloads.size(); i++) {
      var sent = new io.ledgerstream.avro.TransferCommand(COMMAND_METADATA, payloads.get(i));
      var received = io.ledgerstream.avro.TransferCommand.fromByteBuffer(sent.toByteBuffer());

      assertThat(BINDING.command(received)).isEqualTo(expected.get(i));
      assertThat(BINDING.metadata(received)).isEqualTo(COMMAND_METADATA);
    }
  }

  @Test
  void roundTripsEveryCommandThroughItsAvroEncoding() throws IOException {
    List<TransferCommand> commands = List.of(
        new TransferCommand.RequestTransfer("a", "b", 250, "EUR"),
        new TransferCommand.RecordTransferDebit("debit-1"),
        new TransferCommand.CompleteTransfer("credit-1"),
        new TransferCommand.FailTransfer("ACCOUNT_CLOSED", "account is closed", true),
        new TransferCommand.FailTransfer("INSUFFICIENT_FUNDS", "not enough money", false),
        new TransferCommand.FlagTransfer("INVALID_AMOUNT", "the refund was rejected"));
    for (TransferCommand command : commands) {
      var avro = BINDING.command(COMMAND_METADATA, command);
      var received = io.ledgerstream.avro.TransferCommand.fromByteBuffer(avro.toByteBuffer());

      assertThat(BINDING.command(received)).isEqualTo(command);
      assertThat(BINDING.metadata(received)).isEqualTo(COMMAND_METADATA);
    }
  }

  @Test
  void rejectsACommandPayloadItDoesNotKnow() {
    var foreign = new io.ledgerstream.avro.TransferCommand(COMMAND_METADATA, new io.ledgerstream.avro.CloseAccount("x"));

    assertThatThrownBy(() -> BINDING.command(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CloseAccount");
  }

  @Test
  void roundTripsEveryEventThroughItsAvroEncoding() throws IOException {
    List<TransferEvent> events = List.of(
        new TransferEvent.TransferRequested("a", "b", 250, "EUR"),
        new TransferEvent.TransferDebitRecorded("debit-1"),
        new TransferEvent.TransferCompleted("credit-1"),
        new TransferEvent.TransferFailed("INSUFFICIENT_FUNDS", "not enough money", false),
        new TransferEvent.TransferFailed("ACCOUNT_CLOSED", "account is closed", true),
        new TransferEvent.TransferNeedsAttention("INVALID_AMOUNT", "the refund was rejected"));
    for (TransferEvent event : events) {
      var avro = BINDING.event(EVENT_METADATA, event);
      var decoded = io.ledgerstream.avro.TransferEvent.fromByteBuffer(avro.toByteBuffer());

      assertThat(decoded.getMetadata()).isEqualTo(EVENT_METADATA);
      assertThat(BINDING.event(decoded)).isEqualTo(event);
    }
  }

  @Test
  void writesEventFieldsUnderTheirContractNames() {
    var avro = BINDING.event(EVENT_METADATA, new TransferEvent.TransferFailed("ACCOUNT_CLOSED", "account is closed", true));

    assertThat(avro.getPayload()).isEqualTo(new io.ledgerstream.avro.TransferFailed("ACCOUNT_CLOSED", "account is closed", true));
  }

  @Test
  void rejectsAnEventPayloadItDoesNotKnow() {
    var foreign = new io.ledgerstream.avro.TransferEvent(EVENT_METADATA, new io.ledgerstream.avro.AccountClosed("x"));

    assertThatThrownBy(() -> BINDING.event(foreign)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roundTripsASnapshotInEveryStatus() throws IOException {
    List<Transfer> transfers = List.of(
        new Transfer(Transfer.Status.REQUESTED, "a", "b", 250, "EUR", null, null, false),
        new Transfer(Transfer.Status.DEBITED, "a", "b", 250, "EUR", null, null, false),
        new Transfer(Transfer.Status.COMPLETED, "a", "b", 250, "EUR", null, null, false),
        new Transfer(Transfer.Status.FAILED, "a", "b", 250, "EUR", "INSUFFICIENT_FUNDS", "not enough money", false),
        new Transfer(Transfer.Status.FAILED, "a", "b", 250, "EUR", "ACCOUNT_CLOSED", "account is closed", true),
        new Transfer(Transfer.Status.NEEDS_ATTENTION, "a", "b", 250, "EUR", "INVALID_AMOUNT", "refund rejected",
            false));
    for (Transfer transfer : transfers) {
      Snapshot<Transfer> snapshot = new Snapshot<>(transfer, 4, REQUESTED_AT, UPDATED_AT);
      TransferState state = BINDING.snapshot("t-1", snapshot);
      TransferState decoded = TransferState.fromByteBuffer(state.toByteBuffer());

      assertThat(decoded.getStatus().name()).isEqualTo(transfer.status().name());
      assertThat(BINDING.snapshot(decoded)).isEqualTo(snapshot);
    }
  }

  @Test
  void writesSnapshotFieldsUnderTheirContractNames() {
    Transfer failed = new Transfer(Transfer.Status.FAILED, "a", "b", 250, "EUR", "ACCOUNT_CLOSED", "account is closed", true);

    TransferState state = BINDING.snapshot("t-1", new Snapshot<>(failed, 4, REQUESTED_AT, UPDATED_AT));

    assertThat(state).isEqualTo(TransferState.newBuilder()
        .setTransferId("t-1")
        .setFrom("a")
        .setTo("b")
        .setAmountMinor(250)
        .setCurrency("EUR")
        .setStatus(TransferStatus.FAILED)
        .setFailureCode("ACCOUNT_CLOSED")
        .setFailureReason("account is closed")
        .setRefunded(true)
        .setVersion(4)
        .setRequestedAt(REQUESTED_AT)
        .setUpdatedAt(UPDATED_AT)
        .build());
  }

  @Test
  void refusesToSnapshotATransferThatWasNeverRequested() {
    assertThatThrownBy(() -> BINDING.snapshot("t-1", new Snapshot<>(Transfer.NONE, 1, REQUESTED_AT, UPDATED_AT)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
