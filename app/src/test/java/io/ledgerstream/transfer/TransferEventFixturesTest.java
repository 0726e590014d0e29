package io.ledgerstream.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.Money;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.domain.transfer.Transfer;
import io.ledgerstream.domain.transfer.TransferDecider;
import io.ledgerstream.registry.CompatibilityLevel;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.RecordJson;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topics;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.IndexedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bytes of TransferRequested v1, as the ledger wrote them before v2, read by today's code: the events' serde hands
 * every reader v2, and the decider's state and the JSON every route serves are built from it.
 */
class TransferEventFixturesTest {

  private static final String SCOPE = "transfer-event-fixtures";

  private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(SCOPE);
  private final Topics topics = new Topics(new RegistryRecordSerdes(registry, true));

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistry.drop(SCOPE);
  }

  @Test
  void theEventsSerdeReadsEveryOlderVersionAsTheNewest() {
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      TransferEvent event = read(fixture);

      assertThat(event.getMetadata().getEventId()).isEqualTo(fixture.eventId());
      assertThat(event.getMetadata().getAggregateId()).isEqualTo(fixture.transferId());
      assertThat(event.getMetadata().getAggregateVersion()).isEqualTo(1L);
      assertThat(event.getPayload()).as(fixture.name()).isEqualTo(new io.ledgerstream.avro.v2.TransferRequested(
          TransferEventFixtures.FROM, TransferEventFixtures.TO,
          new Money(TransferEventFixtures.AMOUNT_MINOR, TransferEventFixtures.CURRENCY)));
    }
  }

  @Test
  void theDeciderRestoresTheTransferFromAnOlderVersion() {
    TransferDecider decider = new TransferDecider();
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      Transfer state = decider.evolve(decider.initialState(), TransferType.BINDING.event(read(fixture)));

      assertThat(state).as(fixture.name()).isEqualTo(new Transfer(Transfer.Status.REQUESTED, TransferEventFixtures.FROM,
          TransferEventFixtures.TO, TransferEventFixtures.AMOUNT_MINOR, TransferEventFixtures.CURRENCY, null, null,
          false));
    }
  }

  @Test
  void anOlderVersionIsServedAsJsonInTheNewestShape() {
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      Map<String, Object> payload = RecordJson.toMap((IndexedRecord) read(fixture).getPayload());

      assertThat(payload).as(fixture.name()).containsExactly(
          Map.entry("from", TransferEventFixtures.FROM), Map.entry("to", TransferEventFixtures.TO),
          Map.entry("amount", Map.of("minor", TransferEventFixtures.AMOUNT_MINOR,
              "currency", TransferEventFixtures.CURRENCY)));
    }
  }

  @Test
  void theFixturesAreReleasesTheCurrentSchemaReadsWrittenWithTheIdsAnEmptyRegistryGivesThem() {
    InMemorySchemaRegistry fresh = InMemorySchemaRegistry.scope(SCOPE + "-ids");
    try {
      Topics freshTopics = new Topics(new RegistryRecordSerdes(fresh, false));
      for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
        assertThat(CompatibilityLevel.BACKWARD.incompatibility(TransferEvent.getClassSchema(),
            List.of(fixture.writerSchema()))).isEmpty();
        // released in order in an empty registry, each gets the id its bytes were written with
        assertThat(fresh.register(TransferEventFixtures.SUBJECT, fixture.writerSchema()))
            .isEqualTo(fixture.ordinal() + 1);
        TransferEvent event = freshTopics.transferEvents.valueSerde().deserializer()
            .deserialize(Topics.TRANSFER_EVENTS, fixture.bytes());
        assertThat(event.getMetadata().getEventId()).isEqualTo(fixture.eventId());
      }
    } finally {
      InMemorySchemaRegistry.drop(SCOPE + "-ids");
    }
  }

  private TransferEvent read(TransferEventFixtures fixture) {
    return topics.transferEvents.valueSerde().deserializer().deserialize(Topics.TRANSFER_EVENTS,
        fixture.bytesIn(registry));
  }
}
