package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClaimQueueTest {

  private final List<String> ran = new ArrayList<>();
  private final ClaimQueue.Runner<String> runner = (offset, aggregateId, command) ->
      ran.add(offset + ":" + aggregateId + ":" + command);
  private KeyValueStore<String, String> marks;
  private KeyValueStore<String, String> passed;

  @BeforeEach
  void stores() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    marks = store("marks", context);
    passed = store("passed", context);
  }

  @Test
  void verdictsInOrderRunAtOnceAndLeaveNothingStored() {
    ClaimQueue<String> queue = new ClaimQueue<>(marks, passed);
    queue.waiting(5);
    queue.waiting(6);
    queue.verdict(5, "a", "deposit", runner);
    assertThat(ran).containsExactly("5:a:deposit");
    queue.verdict(6, "b", null, runner);
    assertThat(ran).containsExactly("5:a:deposit");
    assertThat(entries(marks)).isEmpty();
    assertThat(entries(passed)).isEmpty();
  }

  @Test
  void aVerdictThatOvertakesAnotherWaitsForItInTheStore() {
    ClaimQueue<String> queue = new ClaimQueue<>(marks, passed);
    queue.waiting(7);
    queue.waiting(8);
    queue.waiting(9);
    queue.verdict(9, "c", "withdraw", runner);
    queue.verdict(8, "b", null, runner);
    assertThat(ran).isEmpty();
    assertThat(entries(passed)).containsExactly("0000000000000000009=withdraw");

    queue.verdict(7, "a", "open", runner);
    assertThat(ran).containsExactly("7:a:open", "9:c:withdraw");
    assertThat(entries(marks)).isEmpty();
    assertThat(entries(passed)).isEmpty();
  }

  @Test
  void aRestartedTaskFindsWhatItWaitsForInTheStore() {
    ClaimQueue<String> before = new ClaimQueue<>(marks, passed);
    before.waiting(1);
    before.waiting(2);
    before.verdict(2, "b", "second", runner);

    ClaimQueue<String> after = new ClaimQueue<>(marks, passed);
    after.verdict(2, "b", "second", runner);
    assertThat(ran).as("a second verdict for a decided command is a duplicate").isEmpty();
    after.verdict(1, "a", "first", runner);
    assertThat(ran).containsExactly("1:a:first", "2:b:second");
  }

  @Test
  void aVerdictNeverAskedForRunsNothing() {
    ClaimQueue<String> queue = new ClaimQueue<>(marks, passed);
    queue.waiting(3);
    queue.verdict(4, "x", "forged", runner);
    queue.verdict(3, "a", "real", runner);
    queue.verdict(3, "a", "real", runner);
    assertThat(ran).containsExactly("3:a:real");
  }

  private static KeyValueStore<String, String> store(String name, MockProcessorContext<Object, Object> context) {
    KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
        Serdes.String(), Serdes.String()).withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    return store;
  }

  private static List<String> entries(KeyValueStore<String, String> store) {
    List<String> entries = new ArrayList<>();
    try (KeyValueIterator<String, String> all = store.all()) {
      all.forEachRemaining((KeyValue<String, String> entry) -> entries.add(entry.key + "=" + entry.value));
    }
    return entries;
  }
}
