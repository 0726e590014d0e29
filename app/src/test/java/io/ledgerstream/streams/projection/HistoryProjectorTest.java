package io.ledgerstream.streams.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.registry.AvroSerde;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HistoryProjectorTest {

  private static final String TYPE = "account";
  private static final String EVENTS_COUNTER = Counters.events(TYPE, "MoneyDeposited");

  private final AtomicInteger reads = new AtomicInteger();
  private MockProcessorContext<Void, Void> context;
  private KeyValueStore<String, AccountEvent> history;
  private KeyValueStore<String, Long> counts;

  @BeforeEach
  void stores() {
    context = new MockProcessorContext<>();
    KeyValueStore<String, AccountEvent> store = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(ProjectionStores.history(TYPE)), Serdes.String(),
            new AvroSerde<>(AccountEvent.class, new InMemorySchemaRegistry(), true))
        .withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    history = countingReads(store);
    counts = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ProjectionStores.COUNTS), Serdes.String(),
        Serdes.Long()).withLoggingDisabled().build();
    counts.init(context.getStateStoreContext(), counts);
    context.addStateStore(history);
    context.addStateStore(counts);
  }

  @Test
  void filesEachEventOnceAndCountsReplaysNever() {
    HistoryProjector<AccountEvent> projector = projector();
    for (long version = 1; version <= 3; version++) {
      file(projector, "acc-1", version, 10 * version);
    }
    file(projector, "acc-1", 2, 999);
    file(projector, "acc-2", 1, 7);
    file(projector, "acc-1", 3, 999);

    assertThat(filed()).containsExactly("acc-1@1=10", "acc-1@2=20", "acc-1@3=30", "acc-2@1=7");
    assertThat(counts.get(EVENTS_COUNTER)).isEqualTo(4);
  }

  @Test
  void overAnEmptyHistoryReadsNothingForEventsInOrderAndLooksUpOnlyAReplay() {
    HistoryProjector<AccountEvent> projector = projector();
    fileInOrder(projector, 50, "acc-1", "acc-2");
    assertThat(reads).as("nothing filed before it started: every aggregate it does not know has nothing").hasValue(0);

    file(projector, "acc-1", 17, 999);
    assertThat(reads).as("a replay is looked up").hasValue(1);
    assertThat(counts.get(EVENTS_COUNTER)).isEqualTo(100);
  }

  @Test
  void overAFilledHistorySeeksOncePerAggregateForEventsInOrder() {
    HistoryProjector<AccountEvent> before = projector();
    file(before, "acc-0", 1, 1);
    before.close();

    HistoryProjector<AccountEvent> projector = projector();
    fileInOrder(projector, 50, "acc-1", "acc-2");
    assertThat(reads).as("one seek for each aggregate's last filed event").hasValue(2);
    assertThat(counts.get(EVENTS_COUNTER)).isEqualTo(101);
  }

  @Test
  void aProjectorThatStartsOverAStoreFilledBeforeItKnowsWhatIsFiledThere() {
    HistoryProjector<AccountEvent> before = projector();
    fileInOrder(before, 5, "acc-1");
    before.close();

    HistoryProjector<AccountEvent> after = projector();
    file(after, "acc-1", 5, 999);
    file(after, "acc-1", 3, 999);
    file(after, "acc-1", 6, 6);
    file(after, "acc-1", 6, 999);

    assertThat(filed()).containsExactly("acc-1@1=1", "acc-1@2=2", "acc-1@3=3", "acc-1@4=4", "acc-1@5=5",
        "acc-1@6=6");
    assertThat(counts.get(EVENTS_COUNTER)).isEqualTo(6);
  }

  @Test
  void anEventThatArrivesAfterALaterOneIsStillFiled() {
    HistoryProjector<AccountEvent> projector = projector();
    file(projector, "acc-1", 1, 1);
    file(projector, "acc-1", 3, 3);
    file(projector, "acc-1", 2, 2);
    file(projector, "acc-1", 2, 999);

    assertThat(filed()).containsExactly("acc-1@1=1", "acc-1@2=2", "acc-1@3=3");
    assertThat(counts.get(EVENTS_COUNTER)).isEqualTo(3);
  }

  @Test
  void anAggregateForgottenForOthersIsLookedUpAgainAndNotFiledTwice() {
    HistoryProjector<AccountEvent> projector = projector();
    file(projector, "acc-0", 1, 1);
    for (int i = 1; i <= HistoryProjector.REMEMBERED_AGGREGATES; i++) {
      file(projector, "other-" + i, 1, 1);
    }
    file(projector, "acc-0", 1, 999);
    file(projector, "acc-0", 2, 2);

    assertThat(history.get(ProjectionStores.historyKey("acc-0", 1)).getPayload())
        .isEqualTo(deposit("acc-0", 1, 1).getPayload());
    assertThat(history.get(ProjectionStores.historyKey("acc-0", 2))).isNotNull();
    assertThat(counts.get(EVENTS_COUNTER)).isEqualTo(HistoryProjector.REMEMBERED_AGGREGATES + 2);
  }

  private HistoryProjector<AccountEvent> projector() {
    HistoryProjector<AccountEvent> projector = new HistoryProjector<>(TYPE);
    projector.init(context);
    reads.set(0);
    return projector;
  }

  private static void file(HistoryProjector<AccountEvent> projector, String account, long version, long amount) {
    projector.process(new Record<>(account, deposit(account, version, amount), 0L));
  }

  /** Versions 1 to {@code last} of each account, taking turns, each of an amount equal to its version. */
  private static void fileInOrder(HistoryProjector<AccountEvent> projector, long last, String... accounts) {
    for (long version = 1; version <= last; version++) {
      for (String account : accounts) {
        file(projector, account, version, version);
      }
    }
  }

  private static AccountEvent deposit(String account, long version, long amount) {
    return AccountEvent.newBuilder()
        .setMetadata(EventMetadata.newBuilder()
            .setEventId(account + "-" + version + "-" + amount).setCommandId("c").setCorrelationId("c")
            .setCausationId("c").setAggregateId(account).setAggregateVersion(version)
            .setOccurredAt(Instant.parse("2026-12-05T10:00:00Z"))
            .build())
        .setPayload(MoneyDeposited.newBuilder().setAmountMinor(amount).setReference("r").setChannel("test").build())
        .build();
  }

  /** Each filed event as {@code account@version=amount}, in key order. */
  private List<String> filed() {
    List<String> filed = new ArrayList<>();
    try (KeyValueIterator<String, AccountEvent> all = history.all()) {
      all.forEachRemaining(entry -> {
        EventMetadata metadata = entry.value.getMetadata();
        filed.add(metadata.getAggregateId() + "@" + metadata.getAggregateVersion() + "="
            + ((MoneyDeposited) entry.value.getPayload()).getAmountMinor());
      });
    }
    return filed;
  }

  /** The store, counting its point reads and its range scans. */
  @SuppressWarnings("unchecked")
  private KeyValueStore<String, AccountEvent> countingReads(KeyValueStore<String, AccountEvent> store) {
    return (KeyValueStore<String, AccountEvent>) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
          if (List.of("get", "range", "reverseRange", "prefixScan", "all").contains(method.getName())) {
            reads.incrementAndGet();
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
