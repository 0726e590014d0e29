package io.ledgerstream.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small thread-safe map that forgets its least recently used entry beyond a capacity. */
public final class LruCache<K, V> {

  private final Map<K, V> entries;

  public LruCache(int capacity) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  public synchronized V get(K key) {
    return entries.get(key);
  }

  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  public synchronized void remove(K key) {
    entries.remove(key);
  }

  /** Removes every entry whose key matches. */
  public synchronized void removeIf(java.util.function.Predicate<K> matches) {
    entries.keySet().removeIf(matches);
  }
}
