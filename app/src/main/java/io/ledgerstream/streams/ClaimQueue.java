package io.ledgerstream.streams;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Keeps one aggregate task's public commands in the order they were written while the claim stage decides about
 * them: the claim stage answers commands of different ids out of order, and an aggregate's commands must run in the
 * order its client wrote them. Each public command is marked waiting when it is read; its verdict fills the mark;
 * the queue runs from its head while the head has a verdict.
 *
 * @param <AC> the aggregate's command record
 */
final class ClaimQueue<AC> {

  private static final String WAITING = "w";
  private static final String REFUSED = "r";
  /** Followed by the aggregate id. */
  private static final String PASSED = "p";
  private static final String LAST = key(Long.MAX_VALUE);

  private final KeyValueStore<String, String> marks;
  private final KeyValueStore<String, AC> passed;
  /**
   * Where the queue's head was last seen, or null before the first look: the marks below it are deleted, and RocksDB
   * would step over each of their tombstones again if every look began at the start of the store.
   */
  private String head;

  ClaimQueue(KeyValueStore<String, String> marks, KeyValueStore<String, AC> passed) {
    this.marks = marks;
    this.passed = passed;
  }

  static StoreBuilder<KeyValueStore<String, String>> marksStore(String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String());
  }

  /** The public command at {@code offset} of this task's public partition waits for its verdict. */
  void waiting(long offset) {
    marks.put(key(offset), WAITING);
  }

  /** The verdict on the command at {@code offset}: passed with {@code command} for its aggregate, or refused (null). */
  void verdict(long offset, String aggregateId, AC command) {
    String key = key(offset);
    if (marks.get(key) == null) {
      // a verdict is only ever asked for by this task, after it marked the command; this one is a duplicate
      return;
    }
    if (command != null) {
      passed.put(key, command);
    }
    marks.put(key, command != null ? PASSED + aggregateId : REFUSED);
  }

  /** What runs a passed command: its offset, its aggregate's id and the command. */
  interface Runner<AC> {
    void run(long offset, String aggregateId, AC command);
  }

  /** Hands each passed command at the head of the queue to {@code runner}, until one still waits for its verdict. */
  void drain(Runner<AC> runner) {
    try (KeyValueIterator<String, String> queue = head == null ? marks.all() : marks.range(head, LAST)) {
      while (queue.hasNext()) {
        KeyValue<String, String> mark = queue.next();
        head = mark.key;
        if (WAITING.equals(mark.value)) {
          return;
        }
        if (mark.value.startsWith(PASSED)) {
          runner.run(Long.parseLong(mark.key), mark.value.substring(PASSED.length()), passed.get(mark.key));
          passed.delete(mark.key);
        }
        marks.delete(mark.key);
      }
    }
  }

  /** Zero-padded so the string order is the offset order. Stored: never change it. */
  private static String key(long offset) {
    return String.format("%019d", offset);
  }
}
