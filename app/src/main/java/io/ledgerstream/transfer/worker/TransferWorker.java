package io.ledgerstream.transfer.worker;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.domain.transfer.TransferProcess.Fact;
import io.ledgerstream.domain.transfer.TransferProcess.Order;
import io.ledgerstream.domain.transfer.TransferProcess.Progress;
import io.ledgerstream.domain.transfer.TransferProcess.Reaction;
import io.ledgerstream.transfer.TransferType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For each fact about a transfer, in one {@code process()} call: loads the transfer's progress, asks the policy what
 * to do, stores the new progress and forwards the command, so a fact delivered again finds its step passed and sends
 * nothing twice.
 */
final class TransferWorker implements Processor<String, Trigger, String, SpecificRecord> {

  private static final Logger log = LoggerFactory.getLogger(TransferWorker.class);

  private final TransferProcess policy = new TransferProcess();
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Progress> progresses;

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.progresses = context.getStateStore(TransferWorkerTopology.STORE);
  }

  @Override
  public void process(Record<String, Trigger> record) {
    String transferId = record.key();
    Trigger trigger = record.value();
    if (transferId == null || trigger == null) {
      return;
    }
    Progress before = progresses.get(transferId);
    Optional<Reaction> reaction = policy.react(transferId, before, trigger.fact());
    if (reaction.isEmpty()) {
      warnIfStuck(transferId, before, trigger.fact());
      return;
    }
    Progress after = reaction.get().progress();
    progresses.put(transferId, after);
    // one millisecond after its cause: a shadow replay, which merges each aggregate's public and internal commands by
    // time, then puts it after the command that led to it
    long timestamp = record.timestamp() + 1;
    reaction.get().order().ifPresent(order -> context.forward(command(transferId, after, order, trigger, timestamp)));
  }

  /**
   * The command for a step, stamped from the time of the record that caused it, so a replay forwards the very same
   * command.
   */
  private static Record<String, SpecificRecord> command(String transferId, Progress progress, Order order,
                                                        Trigger trigger, long timestamp) {
    CommandMetadata metadata = CommandMetadata.newBuilder()
        .setCommandId(TransferWorkerTopology.commandId(transferId, progress.step()))
        .setCorrelationId(trigger.correlationId())
        .setCausationId(trigger.causationId())
        .setIssuedAt(Instant.ofEpochMilli(timestamp))
        .setIssuedBy(TransferWorkerTopology.ISSUED_BY)
        .setExpectedVersion(null)
        .build();
    RecordHeaders headers = new RecordHeaders();
    headers.add(TransferWorkerTopology.TRANSFER_ID_HEADER, transferId.getBytes(StandardCharsets.UTF_8));
    if (order instanceof Order.ToAccount toAccount) {
      return new Record<>(toAccount.accountId(), AccountType.BINDING.command(metadata, toAccount.command()), timestamp,
          headers);
    }
    return new Record<>(transferId, TransferType.BINDING.command(metadata, ((Order.ToTransfer) order).command()),
        timestamp, headers);
  }

  /** A refund is never rejected in this domain; if one is, the money stays in flight and an operator must know. */
  private static void warnIfStuck(String transferId, Progress progress, Fact fact) {
    if (fact instanceof Fact.Rejected rejected && progress != null && rejected.step() == progress.step()) {
      log.error("Transfer {} is stuck at step {}: the command was rejected with {}: {}", transferId, progress.step(),
          rejected.code(), rejected.reason());
    }
  }
}
