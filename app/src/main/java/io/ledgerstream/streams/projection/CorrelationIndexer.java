package io.ledgerstream.streams.projection;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Files each command, event and result under its correlation; the same entry seen again overwrites itself. */
final class CorrelationIndexer implements Processor<String, CorrelationEntry, Void, Void> {

  private KeyValueStore<String, CorrelationEntry> correlations;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    correlations = context.getStateStore(ProjectionStores.CORRELATIONS);
  }

  @Override
  public void process(Record<String, CorrelationEntry> record) {
    if (record.key() != null && record.value() != null) {
      correlations.put(ProjectionStores.correlationKey(record.key(), record.value().entryId()), record.value());
    }
  }
}
