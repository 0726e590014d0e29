package io.ledgerstream.transfer;

import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.streams.projection.Counters;
import io.ledgerstream.streams.projection.ProjectionFolds;
import io.ledgerstream.streams.projection.ProjectionStores;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies each transfer event, once, to the transfer's status and the status counters; replays change nothing. Each
 * change of status goes on to the index by status, keyed by the status it left (to be taken out there) and by the
 * one it entered.
 */
final class TransferProjector implements Processor<String, TransferEvent, String, TransferState> {

  private KeyValueStore<String, TransferState> transfers;
  private KeyValueStore<String, Long> counts;

  private ProcessorContext<String, TransferState> context;

  @Override
  public void init(ProcessorContext<String, TransferState> context) {
    this.context = context;
    transfers = context.getStateStore(TransferProjections.STATUS);
    counts = context.getStateStore(ProjectionStores.COUNTS);
  }

  @Override
  public void process(Record<String, TransferEvent> record) {
    String transferId = record.key();
    TransferEvent event = record.value();
    if (transferId == null || event == null) {
      return;
    }
    TransferState before = transfers.get(transferId);
    if (before != null && event.getMetadata().getAggregateVersion() <= before.getVersion()) {
      return;
    }
    TransferState after = ProjectionFolds.next(TransferType.BINDING, transferId, before, event);
    transfers.put(transferId, after);
    if (before == null || before.getStatus() != after.getStatus()) {
      if (before != null) {
        Counters.add(counts, TransferProjections.statusCounter(before.getStatus().name()), -1);
        context.forward(record.withKey(before.getStatus().name()).withValue(after));
      }
      Counters.add(counts, TransferProjections.statusCounter(after.getStatus().name()), 1);
    }
    context.forward(record.withKey(after.getStatus().name()).withValue(after));
  }
}
