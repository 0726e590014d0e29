package io.ledgerstream.transfer.worker;

import io.ledgerstream.avro.CommandResult;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keeps the results of commands the worker sent, keyed by the transfer named in their header. The command side puts
 * that header only on the results of internal commands, which only the application writes: this is the one place
 * that decides which results are the worker's.
 */
final class WorkerResults implements Processor<String, CommandResult, String, CommandResult> {

  private ProcessorContext<String, CommandResult> context;

  @Override
  public void init(ProcessorContext<String, CommandResult> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, CommandResult> result) {
    Header transfer = result.headers().lastHeader(TransferWorkerTopology.TRANSFER_ID_HEADER);
    if (transfer != null && transfer.value() != null && result.value() != null) {
      context.forward(result.withKey(new String(transfer.value(), StandardCharsets.UTF_8)));
    }
  }
}
