package io.ledgerstream.streams;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Keeps one aggregate task's public commands in the order they were written while the claim stage decides about
 * them: the claim stage answers commands of different ids out of order, and an aggregate's commands must run in the
 * order its client wrote them. Each public command is marked waiting when it is read; a verdict for the command at the
 * head of the queue runs it at once, a verdict for a later one fills its mark; the queue then runs from its head while
 * the head has a verdict.
 *
 * <p>The marks live in a store, so a restarted task knows what it still waits for, and in memory, loaded from the
 * store when the task starts: the queue is looked at for every verdict, and RocksDB would step over the tombstones of
 * the commands already run at every look. In the usual case, verdicts arriving in order, each command costs one mark
 * written and one deleted; only a verdict that overtakes another is stored.
 *
 * @param <AC> the aggregate's command record
 */
final class ClaimQueue<AC> {

  private static final String WAITING = "w";
  private static final String REFUSED = "r";
  /** Followed by the aggregate id. */
  private static final String PASSED = "p";

  private final KeyValueStore<String, String> marks;
  private final KeyValueStore<String, AC> passed;
  /** The marks by offset, as in the store. */
  private final NavigableMap<Long, String> queue = new TreeMap<>();

  ClaimQueue(KeyValueStore<String, String> marks, KeyValueStore<String, AC> passed) {
    this.marks = marks;
    this.passed = passed;
    try (KeyValueIterator<String, String> stored = marks.all()) {
      stored.forEachRemaining(mark -> queue.put(Long.parseLong(mark.key), mark.value));
    }
  }

  /**
   * The changelog settings of both stores: nearly every entry is deleted a few commits after it was written, but a
   * compacted topic drops the overwritten records only of segments that rolled (1 GiB or 7 days by default), so a
   * restore from scratch read every put and its tombstone: two records per command for a store that is all but empty.
   * Rolling every minute lets the log cleaner drop the puts soon; the tombstones stay the topic's
   * {@code delete.retention.ms} (a day) as in every changelog, so a standby or restore that read a put still reads its
   * delete.
   */
  static final Map<String, String> CHANGELOG_CONFIG = Map.of(TopicConfig.SEGMENT_MS_CONFIG, "60000");

  static StoreBuilder<KeyValueStore<String, String>> marksStore(String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String())
        .withLoggingEnabled(CHANGELOG_CONFIG);
  }

  /** The passed commands that overtook an earlier one, by offset, until the queue reaches them. */
  static <AC> StoreBuilder<KeyValueStore<String, AC>> passedStore(String name, Serde<AC> commands) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), commands)
        .withLoggingEnabled(CHANGELOG_CONFIG);
  }

  /** The public command at {@code offset} of this task's public partition waits for its verdict. */
  void waiting(long offset) {
    marks.put(key(offset), WAITING);
    queue.put(offset, WAITING);
  }

  /** What runs a passed command: its offset, its aggregate's id and the command. */
  interface Runner<AC> {
    void run(long offset, String aggregateId, AC command);
  }

  /**
   * The verdict on the command at {@code offset}: passed with {@code command} for its aggregate, or refused (null).
   * Hands each passed command that is now at the head of the queue to {@code runner}, in order, until one still waits.
   */
  void verdict(long offset, String aggregateId, AC command, Runner<AC> runner) {
    String mark = queue.get(offset);
    if (!WAITING.equals(mark)) {
      // a verdict is asked for only by this task, after it marked the command, and answered once: a duplicate
      return;
    }
    if (queue.firstKey() == offset) {
      done(offset);
      if (command != null) {
        runner.run(offset, aggregateId, command);
      }
    } else {
      if (command != null) {
        passed.put(key(offset), command);
      }
      String decided = command != null ? PASSED + aggregateId : REFUSED;
      marks.put(key(offset), decided);
      queue.put(offset, decided);
    }
    drain(runner);
  }

  private void drain(Runner<AC> runner) {
    while (!queue.isEmpty() && !WAITING.equals(queue.firstEntry().getValue())) {
      Map.Entry<Long, String> head = queue.firstEntry();
      long offset = head.getKey();
      if (head.getValue().startsWith(PASSED)) {
        String key = key(offset);
        AC command = passed.get(key);
        passed.delete(key);
        done(offset);
        runner.run(offset, head.getValue().substring(PASSED.length()), command);
      } else {
        done(offset);
      }
    }
  }

  private void done(long offset) {
    marks.delete(key(offset));
    queue.remove(offset);
  }

  /** Zero-padded so the string order is the offset order. Stored: never change it. */
  private static String key(long offset) {
    return PaddedNumbers.of(offset);
  }
}
