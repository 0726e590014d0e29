package io.ledgerstream.streams.projection;

import java.util.function.BiFunction;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Files each command, event or result under its correlation, in the partition the record came from; the same entry
 * seen again overwrites itself.
 */
final class CorrelationIndexer<V> implements Processor<String, V, Void, Void> {

  private final BiFunction<String, V, CorrelationEntry> entryOf;
  private KeyValueStore<String, CorrelationEntry> correlations;

  CorrelationIndexer(BiFunction<String, V, CorrelationEntry> entryOf) {
    this.entryOf = entryOf;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    correlations = context.getStateStore(ProjectionStores.CORRELATIONS);
  }

  @Override
  public void process(Record<String, V> record) {
    if (record.value() == null) {
      return;
    }
    CorrelationEntry entry = entryOf.apply(record.key(), record.value());
    correlations.put(ProjectionStores.correlationKey(entry.correlationId(), entry.entryId()), entry);
  }
}
