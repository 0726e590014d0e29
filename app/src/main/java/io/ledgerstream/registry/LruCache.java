package io.ledgerstream.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small thread-safe map that forgets its least recently used entry beyond a capacity. */
final class LruCache<K, V> {

  private final Map<K, V> entries;

  LruCache(int capacity) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized V get(K key) {
    return entries.get(key);
  }

  synchronized void put(K key, V value) {
    entries.put(key, value);
  }
}
