package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Applies each transfer event, once, to the transfer's status and the counters; replays change nothing. */
final class TransferProjector implements Processor<String, TransferEvent, Void, Void> {

  private KeyValueStore<String, TransferState> transfers;
  private KeyValueStore<String, Long> counts;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    transfers = context.getStateStore(ProjectionStores.TRANSFER_STATUS);
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
    TransferState after = ProjectionFolds.transfer(transferId, before, event);
    transfers.put(transferId, after);
    Counters.add(counts, Counters.transferEvents(event.getPayload().getClass().getSimpleName()), 1);
    if (before == null || before.getStatus() != after.getStatus()) {
      if (before != null) {
        Counters.add(counts, Counters.transfers(before.getStatus().name()), -1);
      }
      Counters.add(counts, Counters.transfers(after.getStatus().name()), 1);
    }
  }
}
