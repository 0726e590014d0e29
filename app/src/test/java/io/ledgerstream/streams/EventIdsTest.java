package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden event ids: every event and result stores them, and reprocessing must derive the same ones. */
class EventIdsTest {

  @Test
  void anEventsIdIsMadeFromItsAggregateTypeIdAndVersion() {
    assertThat(AggregateProcessor.eventId("account", "A-1", 1)).isEqualTo("df03e632-7292-34df-a259-d98c57672139");
    assertThat(AggregateProcessor.eventId("account", "A-1", 2)).isEqualTo("e18e9a61-4b37-3fdc-977e-9a68c434b6cd");
    assertThat(AggregateProcessor.eventId("transfer", "T-1", 1)).isEqualTo("4852bc8c-297c-30a0-a088-bfb9bedefbcb");
  }
}
