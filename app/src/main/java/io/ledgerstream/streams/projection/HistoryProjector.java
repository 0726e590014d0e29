package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.streams.Envelope;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Files each event of one aggregate type under its aggregate and version, and counts it by event type, once: an
 * event already filed is a replay and changes nothing.
 */
final class HistoryProjector<AE extends SpecificRecord> implements Processor<String, AE, Void, Void> {

  private final String aggregateType;
  private KeyValueStore<String, AE> history;
  private KeyValueStore<String, Long> counts;

  HistoryProjector(String aggregateType) {
    this.aggregateType = aggregateType;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    history = context.getStateStore(ProjectionStores.history(aggregateType));
    counts = context.getStateStore(ProjectionStores.COUNTS);
  }

  @Override
  public void process(Record<String, AE> record) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    EventMetadata metadata = Envelope.eventMetadata(record.value());
    String key = ProjectionStores.historyKey(record.key(), metadata.getAggregateVersion());
    if (history.get(key) != null) {
      return;
    }
    history.put(key, record.value());
    Counters.add(counts, Counters.events(aggregateType, Envelope.payloadType(record.value())), 1);
  }
}
