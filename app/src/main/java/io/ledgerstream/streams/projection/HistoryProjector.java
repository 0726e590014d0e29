package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.streams.Envelope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Files each event of one aggregate type under its aggregate and version, and counts it by event type, once: an
 * event already filed is a replay and changes nothing.
 *
 * <p>Whether an event is filed already is known without reading the store for nearly every event: the projector
 * remembers, for the aggregates it saw last, a version no filed event of theirs exceeds (learned with one seek to the
 * aggregate's last filed event the first time it sees the aggregate, then raised by what it files). An event above
 * that version cannot be filed yet; only one at or below it, a replay or an event that arrives after a later one,
 * is looked up. The bound only ever has to be high enough, never exact, so a transaction rolled back under the
 * projector, which removes filed events, leaves it right.
 *
 * <p>A projector that starts over an empty history (a new generation rebuilding from the logs) needs no seek at all
 * until it first forgets an aggregate: until then every aggregate it does not remember has nothing filed.
 */
final class HistoryProjector<AE extends SpecificRecord> implements Processor<String, AE, Void, Void> {

  /** Aggregates remembered per task: a seek for every one evicted and seen again. */
  static final int REMEMBERED_AGGREGATES = 20_000;

  private final String aggregateType;
  private final Map<String, Long> highestFiled = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      boolean forget = size() > REMEMBERED_AGGREGATES;
      if (forget) {
        remembersAllFiled = false;
      }
      return forget;
    }
  };
  /** Whatever is filed, this projector filed and still remembers: the history was empty when it started. */
  private boolean remembersAllFiled;
  private KeyValueStore<String, AE> history;
  private KeyValueStore<String, Long> counts;

  HistoryProjector(String aggregateType) {
    this.aggregateType = aggregateType;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    history = context.getStateStore(ProjectionStores.history(aggregateType));
    counts = context.getStateStore(ProjectionStores.COUNTS);
    highestFiled.clear();
    try (KeyValueIterator<String, AE> filed = history.all()) {
      remembersAllFiled = !filed.hasNext();
    }
  }

  @Override
  public void process(Record<String, AE> record) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    EventMetadata metadata = Envelope.eventMetadata(record.value());
    long version = metadata.getAggregateVersion();
    String key = ProjectionStores.historyKey(record.key(), version);
    Long highest = highestFiled.get(record.key());
    if (highest == null) {
      highest = remembersAllFiled ? 0 : lastFiledVersion(record.key());
    }
    if (version <= highest && history.get(key) != null) {
      highestFiled.put(record.key(), highest);
      return;
    }
    history.put(key, record.value());
    highestFiled.put(record.key(), Math.max(highest, version));
    Counters.add(counts, Counters.events(aggregateType, Envelope.payloadType(record.value())), 1);
  }

  @Override
  public void close() {
    highestFiled.clear();
  }

  /** The version of the aggregate's last filed event, or 0 when none is filed. */
  private long lastFiledVersion(String aggregateId) {
    try (KeyValueIterator<String, AE> last = history.reverseRange(ProjectionStores.historyKey(aggregateId, 0),
        ProjectionStores.historyKey(aggregateId, Long.MAX_VALUE))) {
      return last.hasNext() ? ProjectionStores.historyVersion(last.peekNextKey()) : 0;
    }
  }
}
