package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExpirySweepTest {

  private KeyValueStore<String, Long> store;
  private ExpirySweep<Long> sweep;

  @BeforeEach
  void store() {
    store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("stamped"), Serdes.String(), Serdes.Long())
        .withLoggingDisabled().build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    sweep = new ExpirySweep<>(store, stamp -> stamp);
  }

  @Test
  void forgetsWhatIsStampedBeforeTheLimitAndKeepsTheRest() {
    store.put("a", 10L);
    store.put("b", 30L);
    store.put("c", 20L);
    sweep.sweep(25);
    assertThat(keys()).containsExactly("b");
  }

  @Test
  void walksASliceAtATimeFromWhereItStoppedAndComesRoundAgain() {
    int entries = 2 * ExpirySweep.MIN_SLICE + 10;
    for (int i = 0; i < entries; i++) {
      store.put(String.format("k%06d", i), 1L);
    }
    sweep.sweep(2);
    assertThat(keys()).hasSize(entries - ExpirySweep.MIN_SLICE).first().isEqualTo(String.format("k%06d",
        ExpirySweep.MIN_SLICE));
    sweep.sweep(2);
    assertThat(keys()).hasSize(10);
    store.put("a-new", 1L);
    sweep.sweep(2);
    assertThat(keys()).as("past the end, the walk starts again at the beginning").isEmpty();
  }

  @Test
  void eachWritePaysForSeveralEntriesOfTheWalk() {
    int entries = 5 * ExpirySweep.MIN_SLICE;
    for (int i = 0; i < entries; i++) {
      store.put(String.format("k%06d", i), 1L);
      sweep.wrote();
    }
    sweep.sweep(2);
    assertThat(keys()).isEmpty();
  }

  @Test
  void leavesEntriesOfUnknownTimeToTheOldIndexAndKeepsWhatWasWrittenAgain() {
    store.put("old", ExpirySweep.UNKNOWN);
    store.put("again", 50L);
    sweep.sweep(40);
    assertThat(keys()).containsExactly("again", "old");
    sweep.deleteIfBefore("old", 40);
    sweep.deleteIfBefore("again", 40);
    assertThat(keys()).containsExactly("again");
  }

  private List<String> keys() {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }
}
