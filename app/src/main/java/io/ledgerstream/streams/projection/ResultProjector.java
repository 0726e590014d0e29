package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.CommandResult;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest result of each command and counts each command once, however often its result is written
 * again (a retried command, a replay). Results older than the topic's retention are not counted after a rebuild.
 */
final class ResultProjector implements Processor<String, CommandResult, Void, Void> {

  private KeyValueStore<String, CommandResult> results;
  private KeyValueStore<String, Long> counts;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    results = context.getStateStore(ProjectionStores.COMMAND_RESULTS);
    counts = context.getStateStore(ProjectionStores.COUNTS);
  }

  @Override
  public void process(Record<String, CommandResult> record) {
    CommandResult result = record.value();
    if (record.key() == null || result == null) {
      return;
    }
    boolean first = results.get(record.key()) == null;
    results.put(record.key(), result);
    if (first) {
      Counters.add(counts, Counters.commands(result.getStatus().name()), 1);
      if (result.getRejection() != null) {
        Counters.add(counts, Counters.rejections(result.getRejection().getCode()), 1);
      }
    }
  }
}
