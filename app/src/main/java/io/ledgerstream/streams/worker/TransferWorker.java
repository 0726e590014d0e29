package io.ledgerstream.streams.worker;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.domain.account.AccountCommand.CreditForTransfer;
import io.ledgerstream.domain.account.AccountCommand.DebitForTransfer;
import io.ledgerstream.domain.account.AccountCommand.RefundTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.CompleteTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.FailTransfer;
import io.ledgerstream.domain.transfer.TransferCommand.RecordTransferDebit;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.domain.transfer.TransferProcess.Fact;
import io.ledgerstream.domain.transfer.TransferProcess.Order;
import io.ledgerstream.domain.transfer.TransferProcess.Progress;
import io.ledgerstream.domain.transfer.TransferProcess.Reaction;
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
    reaction.get().order().ifPresent(order -> context.forward(command(transferId, after, order, trigger, record.timestamp())));
  }

  /**
   * The command for a step, stamped with the time of the record that caused it, so a replay forwards the very same
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
      return new Record<>(toAccount.accountId(), new AccountCommand(metadata, accountPayload(toAccount)), timestamp, headers);
    }
    return new Record<>(transferId, new TransferCommand(metadata, transferPayload((Order.ToTransfer) order)), timestamp,
        headers);
  }

  private static Object accountPayload(Order.ToAccount order) {
    if (order.command() instanceof DebitForTransfer debit) {
      return io.ledgerstream.avro.DebitForTransfer.newBuilder().setTransferId(debit.transferId())
          .setAmountMinor(debit.amountMinor()).setCurrency(debit.currency())
          .setCounterpartyAccountId(debit.counterpartyAccountId()).build();
    }
    if (order.command() instanceof CreditForTransfer credit) {
      return io.ledgerstream.avro.CreditForTransfer.newBuilder().setTransferId(credit.transferId())
          .setAmountMinor(credit.amountMinor()).setCurrency(credit.currency())
          .setCounterpartyAccountId(credit.counterpartyAccountId()).build();
    }
    if (order.command() instanceof RefundTransfer refund) {
      return new io.ledgerstream.avro.RefundTransfer(refund.transferId(), refund.amountMinor());
    }
    throw new IllegalArgumentException("the worker sends no " + order.command().getClass().getName());
  }

  private static Object transferPayload(Order.ToTransfer order) {
    if (order.command() instanceof RecordTransferDebit debit) {
      return new io.ledgerstream.avro.RecordTransferDebit(debit.debitEventId());
    }
    if (order.command() instanceof CompleteTransfer complete) {
      return new io.ledgerstream.avro.CompleteTransfer(complete.creditEventId());
    }
    if (order.command() instanceof FailTransfer fail) {
      return new io.ledgerstream.avro.FailTransfer(fail.code(), fail.reason(), fail.refunded());
    }
    throw new IllegalArgumentException("the worker sends no " + order.command().getClass().getName());
  }

  /** A refund is never rejected in this domain; if one is, the money stays in flight and an operator must know. */
  private static void warnIfStuck(String transferId, Progress progress, Fact fact) {
    if (fact instanceof Fact.Rejected rejected && progress != null && rejected.step() == progress.step()) {
      log.error("Transfer {} is stuck at step {}: the command was rejected with {}: {}", transferId, progress.step(),
          rejected.code(), rejected.reason());
    }
  }
}
