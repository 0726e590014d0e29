package io.ledgerstream.streams;

import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The keys of a store in the order of their timestamps, which earlier versions wrote beside the command memory and the
 * claims so a punctuator could forget what is older than a window without scanning the store. Nothing adds to it now
 * ({@link ExpirySweep} reads the time in the values); it stays registered so a ledger upgraded with entries still in
 * it forgets them through it, and empties within one window. (A window store would purge by itself, but Kafka Streams
 * 4.4 finds no committed offsets for one on restart and wipes the whole task's state.)
 */
final class ExpiryIndex {

  private final KeyValueStore<String, String> index;

  ExpiryIndex(KeyValueStore<String, String> index) {
    this.index = index;
  }

  static StoreBuilder<KeyValueStore<String, String>> store(String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String());
  }

  /** Hands every key stamped before {@code before} to {@code expire} and drops it from the index. */
  void expireBefore(long before, Consumer<String> expire) {
    try (KeyValueIterator<String, String> expired = index.range(indexKey(0, ""), indexKey(Math.max(0, before), ""))) {
      while (expired.hasNext()) {
        KeyValue<String, String> entry = expired.next();
        expire.accept(entry.value);
        index.delete(entry.key);
      }
    }
  }

  /** Zero-padded so the string order is the time order. Stored: never change it. */
  private static String indexKey(long timestamp, String key) {
    return PaddedNumbers.append(new StringBuilder(20 + key.length()), timestamp).append('/').append(key).toString();
  }
}
