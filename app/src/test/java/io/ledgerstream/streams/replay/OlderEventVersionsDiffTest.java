package io.ledgerstream.streams.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.Money;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.RecordSerdes;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferEventFixtures;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shadow replay of today's code writes TransferRequested v2 where production holds v1 written by an older release:
 * read through the serdes the diff reads with, the two are the same event.
 */
class OlderEventVersionsDiffTest {

  private static final String SCOPE = "older-event-versions-diff";
  private static final String PREFIX = "shadow.";

  private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(SCOPE);
  private final RecordSerdes serdes = new RegistryRecordSerdes(registry, true);

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistry.drop(SCOPE);
  }

  @Test
  void productionsOlderVersionAndTheShadowsNewestAreIdentical() {
    Topic<String, TransferEvent> production = new Topics(serdes).transferEvents;
    Topic<String, TransferEvent> shadow = Topics.shadow(serdes, PREFIX).transferEvents;
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      TransferEvent written = production.valueSerde().deserializer().deserialize(production.name(),
          fixture.bytesIn(registry));
      TransferEvent replayed = new TransferEvent(written.getMetadata(), new io.ledgerstream.avro.v2.TransferRequested(
          TransferEventFixtures.FROM, TransferEventFixtures.TO,
          new Money(TransferEventFixtures.AMOUNT_MINOR, TransferEventFixtures.CURRENCY)));
      byte[] shadowBytes = shadow.valueSerde().serializer().serialize(shadow.name(), replayed);

      EventLogDiff diff = new EventLogDiff(List.of(recorded(written)),
          List.of(recorded(shadow.valueSerde().deserializer().deserialize(shadow.name(), shadowBytes))));

      assertThat(diff.aggregateIds()).containsExactly(fixture.transferId());
      assertThat(diff.compare(fixture.transferId())).as(fixture.name()).isEmpty();
    }
  }

  @Test
  void aChangedAmountInTheShadowIsStillADifference() {
    Topic<String, TransferEvent> production = new Topics(serdes).transferEvents;
    TransferEventFixtures fixture = TransferEventFixtures.SUBJECT_V1;
    TransferEvent written = production.valueSerde().deserializer().deserialize(production.name(),
        fixture.bytesIn(registry));
    TransferEvent replayed = new TransferEvent(written.getMetadata(), new io.ledgerstream.avro.v2.TransferRequested(
        TransferEventFixtures.FROM, TransferEventFixtures.TO, new Money(2501L, TransferEventFixtures.CURRENCY)));

    EventLogDiff diff = new EventLogDiff(List.of(recorded(written)), List.of(recorded(replayed)));

    assertThat(diff.compare(fixture.transferId())).hasValueSatisfying(difference -> {
      assertThat(difference.firstDifferingVersion()).isEqualTo(1);
      assertThat(difference.production()).contains("2500");
      assertThat(difference.shadow()).contains("2501");
    });
  }

  /** What the diff's reader makes of an event it read. */
  private static RecordedEvent recorded(TransferEvent event) {
    return new RecordedEvent(event.getMetadata().getAggregateId(), event.getMetadata().getAggregateVersion(),
        event.getMetadata().getOccurredAt(), Envelope.payload(event));
  }
}
