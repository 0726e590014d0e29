package io.ledgerstream.streams.projection;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Names of the counters in the {@link ProjectionStores#COUNTS} store, each a partial count of one partition that
 * sums across partitions: {@code events.<aggregateType>.<EventType>},
 * {@code commands.ACCEPTED}, {@code commands.REJECTED} and {@code rejections.INSUFFICIENT_FUNDS} (one per rejection
 * code). Aggregate types add counters of their own, named {@code <plural>.<something>}.
 */
public final class Counters {

  private Counters() {
  }

  public static String events(String aggregateType, String eventType) {
    return "events." + aggregateType + "." + eventType;
  }

  public static String commands(String status) {
    return "commands." + status;
  }

  public static String rejections(String code) {
    return "rejections." + code;
  }

  /** Adds {@code delta} to a counter of the store. */
  public static void add(KeyValueStore<String, Long> counts, String name, long delta) {
    Long current = counts.get(name);
    counts.put(name, (current == null ? 0 : current) + delta);
  }
}
