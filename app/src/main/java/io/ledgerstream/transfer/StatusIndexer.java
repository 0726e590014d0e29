package io.ledgerstream.transfer;

import io.ledgerstream.avro.TransferState;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Files each transfer under its status: a transfer keyed by the status it is in is put there, keyed by a status it
 * left it is taken out; an older version than the one filed changes nothing, so a replay cannot undo a newer status.
 */
final class StatusIndexer implements Processor<String, TransferState, Void, Void> {

  private KeyValueStore<String, TransferState> byStatus;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    byStatus = context.getStateStore(TransferProjections.BY_STATUS);
  }

  @Override
  public void process(Record<String, TransferState> record) {
    TransferState transfer = record.value();
    if (record.key() == null || transfer == null) {
      return;
    }
    String key = TransferProjections.statusKey(record.key(), transfer.getTransferId());
    TransferState filed = byStatus.get(key);
    if (filed != null && filed.getVersion() >= transfer.getVersion()) {
      return;
    }
    if (record.key().equals(transfer.getStatus().name())) {
      byStatus.put(key, transfer);
    } else {
      byStatus.delete(key);
    }
  }
}
