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
 */
final class CommandMemory {

  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

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

  /** The result recorded for this command id within the window before {@code now}, or null. */
  CommandResult recall(String commandId, long now) {
    CommandResult result = results.get(commandId);
    if (result == null || result.getProcessedAt() == null) {
      return result;
    }
    return now - result.getProcessedAt().toEpochMilli() > windowMs ? null : result;
  }

  void remember(CommandResult result, long timestamp) {
    CommandResult earlier = results.get(result.getCommandId());
    if (earlier != null && earlier.getProcessedAt() != null) {
      expiry.delete(expiryKey(earlier.getProcessedAt().toEpochMilli(), result.getCommandId()));
    }
    results.put(result.getCommandId(), result);
    expiry.put(expiryKey(timestamp, result.getCommandId()), result.getCommandId());
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

  /** Zero-padded so the string order is the time order. */
  private static String expiryKey(long timestamp, String commandId) {
    return String.format("%019d/%s", timestamp, commandId);
  }
}
