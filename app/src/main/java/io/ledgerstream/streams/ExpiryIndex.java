package io.ledgerstream.streams;

import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The keys of a store in the order of their timestamps, so a stream-time punctuator can forget what is older than a
 * window without scanning the store. (A window store would purge by itself, but Kafka Streams 4.4 finds no committed
 * offsets for one on restart and wipes the whole task's state.)
 */
final class ExpiryIndex {

  private final KeyValueStore<String, String> index;

  ExpiryIndex(KeyValueStore<String, String> index) {
    this.index = index;
  }

  static StoreBuilder<KeyValueStore<String, String>> store(String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String());
  }

  void add(String key, long timestamp) {
    index.put(indexKey(timestamp, key), key);
  }

  void remove(String key, long timestamp) {
    index.delete(indexKey(timestamp, key));
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
    return String.format("%019d/%s", timestamp, key);
  }
}
