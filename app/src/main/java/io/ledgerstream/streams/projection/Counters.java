package io.ledgerstream.streams.projection;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Names of the counters in the {@link ProjectionStores#COUNTS} store, each a partial count of one partition that
 * sums across partitions: {@code events.account.MoneyDeposited}, {@code events.transfer.TransferRequested},
 * {@code transfers.COMPLETED} (transfers currently in that status), {@code commands.ACCEPTED},
 * {@code commands.REJECTED} and {@code rejections.INSUFFICIENT_FUNDS} (one per rejection code).
 */
public final class Counters {

  private Counters() {
  }

  public static String accountEvents(String eventType) {
    return "events.account." + eventType;
  }

  public static String transferEvents(String eventType) {
    return "events.transfer." + eventType;
  }

  public static String transfers(String status) {
    return "transfers." + status;
  }

  public static String commands(String status) {
    return "commands." + status;
  }

  public static String rejections(String code) {
    return "rejections." + code;
  }

  static void add(KeyValueStore<String, Long> counts, String name, long delta) {
    Long current = counts.get(name);
    counts.put(name, (current == null ? 0 : current) + delta);
  }
}
