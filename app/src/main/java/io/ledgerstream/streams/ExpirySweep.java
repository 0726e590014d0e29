package io.ledgerstream.streams;

import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forgets the entries of a store whose values carry their own time, once older than a window, by walking the store a
 * slice at a time from where the last walk stopped: no second store to keep in step, and no changelog record beside
 * each write. Each walk looks at {@value #SLICE_PER_WRITE} entries per entry written since the last one, and at
 * least {@link #MIN_SLICE}, so a whole walk of the store is done in a third of the time it takes to fill it: an entry
 * is forgotten at most about a third of a window after it expired, and a ledger at rest is cleaned up too.
 *
 * @param <V> the store's values
 */
final class ExpirySweep<V> {

  static final int SLICE_PER_WRITE = 3;
  static final int MIN_SLICE = 10_000;

  private final KeyValueStore<String, V> store;
  private final ToLongFunction<V> stampOf;
  /** The last key looked at, or null to start at the beginning of the store. */
  private String cursor;
  private long writes;

  /** Returned by a value's stamp when the value does not say when it was stored. */
  static final long UNKNOWN = -1;

  /**
   * @param stampOf when a value was stored, in milliseconds, or {@link #UNKNOWN}, which a walk leaves alone (an
   *     earlier version's expiry index knows its time); never throws
   */
  ExpirySweep(KeyValueStore<String, V> store, ToLongFunction<V> stampOf) {
    this.store = store;
    this.stampOf = stampOf;
  }

  /** Counts a write to the store, which the next walk pays for. */
  void wrote() {
    writes++;
  }

  /**
   * Deletes {@code key}, which an earlier version's expiry index found stamped before {@code before}, unless its
   * entry was written again since.
   */
  void deleteIfBefore(String key, long before) {
    V value = store.get(key);
    if (value != null && stampOf.applyAsLong(value) < before) {
      store.delete(key);
    }
  }

  /** Walks the next slice of the store, deleting every entry stamped before {@code before}. */
  void sweep(long before) {
    long slice = Math.max(MIN_SLICE, SLICE_PER_WRITE * writes);
    writes = 0;
    String startedAt = cursor;
    slice -= walk(cursor, null, slice, before);
    if (slice > 0 && startedAt != null) {
      cursor = null;
      walk(null, startedAt, slice, before);
    }
  }

  /** Walks from after {@code from} (the start if null) to {@code to} (the end if null); returns how many it saw. */
  private long walk(String from, String to, long slice, long before) {
    long seen = 0;
    try (KeyValueIterator<String, V> entries = store.range(from, to)) {
      while (seen < slice && entries.hasNext()) {
        KeyValue<String, V> entry = entries.next();
        if (entry.key.equals(from)) {
          continue;
        }
        seen++;
        cursor = entry.key;
        long stamp = stampOf.applyAsLong(entry.value);
        if (stamp != UNKNOWN && stamp < before) {
          store.delete(entry.key);
        }
      }
      if (!entries.hasNext() && seen < slice) {
        cursor = to;
      }
    }
    return seen;
  }
}
