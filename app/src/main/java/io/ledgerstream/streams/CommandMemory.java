package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandResult;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Remembers the result of every command for a window of stream time, so a retry gets its original result, and forgets
 * it afterwards, so the memory stays bounded: results by command id, which a stream-time punctuator sweeps by their
 * own {@code processedAt} ({@link ExpirySweep}).
 *
 * <p>Commands from the public topic and commands from the internal topic (the application's own, such as the transfer
 * worker's) are remembered apart: a client that sends a command under an id the worker will use later is answered
 * from its own space and never pre-empts the worker's command. Entries written before the split are keyed by the bare
 * command id; both spaces still find those until the window drops them.
 *
 * <p>Earlier versions kept an expiry index beside the results, a second write and changelog record per command; what
 * it still holds is forgotten through it, and it is written no more.
 */
final class CommandMemory {

  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
  private static final String PUBLIC = "p\u0000";
  private static final String INTERNAL = "w\u0000";

  private final KeyValueStore<String, CommandResult> results;
  private final ExpirySweep<CommandResult> sweep;
  private final long windowMs;

  CommandMemory(ProcessorContext<?, ?> context, AggregateTopology.Names names, Duration window) {
    this.results = context.getStateStore(names.dedupeStore());
    this.sweep = new ExpirySweep<>(results, CommandMemory::processedAt);
    ExpiryIndex legacy = new ExpiryIndex(context.getStateStore(names.expiryStore()));
    this.windowMs = window.toMillis();
    context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, streamTime -> {
      long before = streamTime - windowMs;
      legacy.expireBefore(before, key -> sweep.deleteIfBefore(key, before));
      sweep.sweep(before);
    });
  }

  static StoreBuilder<KeyValueStore<String, CommandResult>> resultsStore(AggregateTopology.Names names,
                                                                         RecordSerdes serdes) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(names.dedupeStore()), Serdes.String(),
        serdes.storeSerde(CommandResult.class));
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

  void remember(boolean internal, CommandResult result) {
    results.put(key(internal, result.getCommandId()), result);
    sweep.wrote();
  }

  /** When a result was stored; unknown for the oldest entries, which the earlier expiry index forgets. */
  private static long processedAt(CommandResult result) {
    return result.getProcessedAt() == null ? ExpirySweep.UNKNOWN : result.getProcessedAt().toEpochMilli();
  }

  /**
   * The memory's key: the space, a NUL, then the command id. The space is one fixed character, so the key is
   * one-to-one whatever the id holds. Stored: never change it.
   */
  static String key(boolean internal, String commandId) {
    return (internal ? INTERNAL : PUBLIC) + commandId;
  }
}
