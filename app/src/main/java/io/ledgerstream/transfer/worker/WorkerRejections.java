package io.ledgerstream.transfer.worker;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Keeps the rejected results of commands the worker sent, keyed by the transfer named in their header. */
final class WorkerRejections implements Processor<String, CommandResult, String, CommandResult> {

  private ProcessorContext<String, CommandResult> context;

  @Override
  public void init(ProcessorContext<String, CommandResult> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, CommandResult> result) {
    Header transfer = result.headers().lastHeader(TransferWorkerTopology.TRANSFER_ID_HEADER);
    if (transfer != null && transfer.value() != null && result.value() != null
        && result.value().getStatus() == CommandStatus.REJECTED) {
      context.forward(result.withKey(new String(transfer.value(), StandardCharsets.UTF_8)));
    }
  }
}
