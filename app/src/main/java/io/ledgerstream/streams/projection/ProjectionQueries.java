package io.ledgerstream.streams.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The scans behind each query, over whichever store instance the caller located; the key layouts stay here. */
public final class ProjectionQueries {

  private ProjectionQueries() {
  }

  /** Up to {@code limit} events of the aggregate from {@code fromVersion} on, oldest first. */
  public static <E> List<E> history(ReadOnlyKeyValueStore<String, E> store, String aggregateId, long fromVersion,
                                    int limit) {
    List<E> events = new ArrayList<>();
    if (limit <= 0) {
      return events;
    }
    String from = ProjectionStores.historyKey(aggregateId, Math.max(0, fromVersion));
    String to = ProjectionStores.historyKey(aggregateId, Long.MAX_VALUE);
    try (KeyValueIterator<String, E> found = store.range(from, to)) {
      while (found.hasNext() && events.size() < limit) {
        events.add(found.next().value);
      }
    }
    return events;
  }

  /** Every entry of the correlation, in causal order. */
  public static List<CorrelationEntry> correlation(ReadOnlyKeyValueStore<String, CorrelationEntry> store,
                                                   String correlationId) {
    return CausalOrder.sort(valuesWithPrefix(store, correlationId));
  }

  /** Every value merged by key, over every partition the store (or composite store) holds. */
  public static <V> Map<String, V> sum(ReadOnlyKeyValueStore<String, V> store, BinaryOperator<V> plus) {
    Map<String, V> sums = new TreeMap<>();
    try (KeyValueIterator<String, V> all = store.all()) {
      all.forEachRemaining(entry -> sums.merge(entry.key, entry.value, plus));
    }
    return sums;
  }

  /**
   * Up to {@code limit} values under {@link ProjectionStores#compositeKey}s whose first part is {@code id}, in order of
   * their second part, starting after {@code after} (from the first when null).
   */
  public static <V> List<V> page(ReadOnlyKeyValueStore<String, V> store, String id, String after, int limit) {
    List<V> values = new ArrayList<>();
    // the least key greater than every key it extends, and the greatest key of the prefix's range
    String from = after == null ? ProjectionStores.prefix(id) : ProjectionStores.compositeKey(id, after)
        + ProjectionStores.SEPARATOR;
    String to = id + (char) (ProjectionStores.SEPARATOR + 1);
    try (KeyValueIterator<String, V> found = store.range(from, to)) {
      while (found.hasNext() && values.size() < limit) {
        KeyValue<String, V> entry = found.next();
        if (entry.key.startsWith(ProjectionStores.prefix(id))) {
          values.add(entry.value);
        }
      }
    }
    return values;
  }

  /** The values under every {@link ProjectionStores#compositeKey} whose first part is {@code id}, in key order. */
  public static <V> List<V> valuesWithPrefix(ReadOnlyKeyValueStore<String, V> store, String id) {
    List<V> values = new ArrayList<>();
    try (KeyValueIterator<String, V> found = store.prefixScan(ProjectionStores.prefix(id), new StringSerializer())) {
      found.forEachRemaining((KeyValue<String, V> entry) -> values.add(entry.value));
    }
    return values;
  }
}
