package io.ledgerstream.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.Money;
import io.ledgerstream.avro.TransferCompleted;
import io.ledgerstream.avro.TransferEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each of the transfer's upcasters, given an event in the older version, then the next version's event. */
class TransferUpcastersTest {

  private static final EventMetadata METADATA = EventMetadata.newBuilder().setEventId("e-1").setCommandId("c-1")
      .setCorrelationId("corr-1").setCausationId("c-1").setAggregateId("T-1").setAggregateVersion(1)
      .setOccurredAt(Instant.parse("2024-02-29T23:59:00Z")).build();

  @Test
  void transferRequestedVersionOneCarriesItsAmountAndCurrencyIntoOneAmount() {
    io.ledgerstream.avro.TransferRequested v1 = new io.ledgerstream.avro.TransferRequested("A-1", "A-2", 2500L, "EUR");

    assertThat(TransferUpcasters.structuredAmount(v1, METADATA))
        .isEqualTo(new io.ledgerstream.avro.v2.TransferRequested("A-1", "A-2", new Money(2500L, "EUR")));
  }

  @Test
  void theTransferTypeReadsAVersionOneRequestAsVersionTwo() {
    TransferEvent v1 = new TransferEvent(METADATA, new io.ledgerstream.avro.TransferRequested("A-1", "A-2", 1L, "JPY"));

    TransferEvent read = TransferType.TYPE.upcast(v1);

    assertThat(read.getMetadata()).isEqualTo(METADATA);
    assertThat(read.getPayload())
        .isEqualTo(new io.ledgerstream.avro.v2.TransferRequested("A-1", "A-2", new Money(1L, "JPY")));
    assertThat(TransferType.TYPE.eventVersion("io.ledgerstream.avro.TransferRequested")).hasValue(1);
    assertThat(TransferType.TYPE.eventVersion("io.ledgerstream.avro.v2.TransferRequested")).hasValue(2);
  }

  @Test
  void theTransfersOtherEventsReadAsTheyWereWritten() {
    TransferEvent completed = new TransferEvent(METADATA, new TransferCompleted("credit-1"));

    assertThat(TransferType.TYPE.upcast(completed)).isSameAs(completed);
    assertThat(TransferType.TYPE.eventTypes()).containsExactly("TransferDebitRecorded", "TransferCompleted",
        "TransferFailed", "TransferNeedsAttention", "TransferRequested");
  }
}
