package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandResult;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Remembers the result of every command for a window of stream time, so a retry gets its original result, and forgets
 * it afterwards, so the memory stays bounded. Two key-value stores: results by command id, and an expiry index by
 * time that a stream-time punctuator walks to purge what is older than the window. (A window store would purge by
 * itself, but Kafka Streams 4.4 finds no committed offsets for one on restart and wipes the whole task's state.)
 *
 * <p>Commands from the public topic and commands from the internal topic (the application's own, such as the transfer
 * worker's) are remembered apart: a client that sends a command under an id the worker will use later is answered
 * from its own space and never pre-empts the worker's command. Entries written before the split are keyed by the bare
 * command id; both spaces still find those until the window drops them.
 */
final class CommandMemory {

  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
  private static final String PUBLIC = "p\u0000";
  private static final String INTERNAL = "w\u0000";

  private final KeyValueStore<String, CommandResult> results;
  private final KeyValueStore<String, String> expiry;
  private final long windowMs;

  CommandMemory(ProcessorContext<?, ?> context, AggregateTopology.Names names, Duration window) {
    this.results = context.getStateStore(names.dedupeStore());
    this.expiry = context.getStateStore(names.expiryStore());
    this.windowMs = window.toMillis();
    context.schedule(PURGE_INTERVAL, org.apache.kafka.streams.processor.PunctuationType.STREAM_TIME, this::purge);
  }

  static StoreBuilder<KeyValueStore<String, CommandResult>> resultsStore(AggregateTopology.Names names,
                                                                         RecordSerdes serdes) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.dedupeStore()), Serdes.String(),
        serdes.storeSerde(CommandResult.class));
  }

  static StoreBuilder<KeyValueStore<String, String>> expiryStore(AggregateTopology.Names names) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.expiryStore()), Serdes.String(),
        Serdes.String());
  }

  /** The result recorded for this command id in this space within the window before {@code now}, or null. */
  CommandResult recall(boolean internal, String commandId, long now) {
    CommandResult result = results.get(key(internal, commandId));
    if (result == null) {
      result = results.get(commandId);
    }
    if (result == null || result.getProcessedAt() == null) {
      return result;
    }
    return now - result.getProcessedAt().toEpochMilli() > windowMs ? null : result;
  }

  void remember(boolean internal, CommandResult result, long timestamp) {
    String key = key(internal, result.getCommandId());
    CommandResult earlier = results.get(key);
    if (earlier != null && earlier.getProcessedAt() != null) {
      expiry.delete(expiryKey(earlier.getProcessedAt().toEpochMilli(), key));
    }
    results.put(key, result);
    expiry.put(expiryKey(timestamp, key), key);
  }

  private void purge(long streamTime) {
    String before = expiryKey(Math.max(0, streamTime - windowMs), "");
    try (KeyValueIterator<String, String> expired = expiry.range(expiryKey(0, ""), before)) {
      while (expired.hasNext()) {
        KeyValue<String, String> entry = expired.next();
        results.delete(entry.value);
        expiry.delete(entry.key);
      }
    }
  }

  /**
   * The memory's key: the space, a NUL, then the command id. The space is one fixed character, so the key is
   * one-to-one whatever the id holds. Stored: never change it.
   */
  static String key(boolean internal, String commandId) {
    return (internal ? INTERNAL : PUBLIC) + commandId;
  }

  /** Zero-padded so the string order is the time order. */
  private static String expiryKey(long timestamp, String commandId) {
    return String.format("%019d/%s", timestamp, commandId);
  }
}
