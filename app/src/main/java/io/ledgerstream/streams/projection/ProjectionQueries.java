package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The scans behind each query, over whichever store instance the caller located; the key layouts stay here. */
public final class ProjectionQueries {

  private ProjectionQueries() {
  }

  /** Up to {@code limit} events of the account from {@code fromVersion} on, oldest first. */
  public static List<AccountEvent> history(ReadOnlyKeyValueStore<String, AccountEvent> store, String accountId,
                       long fromVersion, int limit) {
    List<AccountEvent> events = new ArrayList<>();
    if (limit <= 0) {
      return events;
    }
    String from = ProjectionStores.historyKey(accountId, Math.max(0, fromVersion));
    String to = ProjectionStores.historyKey(accountId, Long.MAX_VALUE);
    try (KeyValueIterator<String, AccountEvent> found = store.range(from, to)) {
      while (found.hasNext() && events.size() < limit) {
        events.add(found.next().value);
      }
    }
    return events;
  }

  /** The owner's accounts, ordered by account id. */
  public static List<AccountState> accountsOfOwner(ReadOnlyKeyValueStore<String, AccountState> store, String owner) {
    return valuesWithPrefix(store, owner);
  }

  /** Every entry of the correlation, in causal order. */
  public static List<CorrelationEntry> correlation(ReadOnlyKeyValueStore<String, CorrelationEntry> store,
                           String correlationId) {
    return CausalOrder.sort(valuesWithPrefix(store, correlationId));
  }

  /** Totals per currency, summed over every partition the store (or composite store) holds. */
  public static Map<String, CurrencyTotals> totals(ReadOnlyKeyValueStore<String, CurrencyTotals> store) {
    Map<String, CurrencyTotals> totals = new TreeMap<>();
    try (KeyValueIterator<String, CurrencyTotals> all = store.all()) {
      all.forEachRemaining(entry -> totals.merge(entry.key, entry.value, CurrencyTotals::plus));
    }
    return totals;
  }

  /** Counters by name, summed over every partition the store (or composite store) holds. */
  public static Map<String, Long> counts(ReadOnlyKeyValueStore<String, Long> store) {
    Map<String, Long> counts = new TreeMap<>();
    try (KeyValueIterator<String, Long> all = store.all()) {
      all.forEachRemaining(entry -> counts.merge(entry.key, entry.value, Long::sum));
    }
    return counts;
  }

  private static <V> List<V> valuesWithPrefix(ReadOnlyKeyValueStore<String, V> store, String id) {
    List<V> values = new ArrayList<>();
    try (KeyValueIterator<String, V> found = store.prefixScan(ProjectionStores.prefix(id), new StringSerializer())) {
      found.forEachRemaining((KeyValue<String, V> entry) -> values.add(entry.value));
    }
    return values;
  }
}
