package io.ledgerstream.transfer.worker;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.domain.transfer.TransferProcess.Cause;
import io.ledgerstream.domain.transfer.TransferProcess.Fact;
import io.ledgerstream.domain.transfer.TransferProcess.Order;
import io.ledgerstream.domain.transfer.TransferProcess.Progress;
import io.ledgerstream.domain.transfer.TransferProcess.Reaction;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import io.ledgerstream.transfer.TransferType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For each fact about a transfer, in one {@code process()} call: loads the transfer's progress, asks the policy what
 * to do, stores the new progress and its deadline and forwards the command, so a fact delivered again finds its step
 * passed and sends nothing twice.
 *
 * <p>A wall-clock punctuator looks at the transfers whose deadline passed and sends their current step again, the
 * same command under the same id: the command side answers a command it already processed from its memory, so a
 * re-send never moves money twice, and a lost command or a lost result is repaired.
 */
final class TransferWorker implements Processor<String, Trigger, String, SpecificRecord> {

  private static final Logger log = LoggerFactory.getLogger(TransferWorker.class);

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Progress> progresses;
  private KeyValueStore<String, Long> deadlines;
  private TransferProcess policy;
  private Duration stepTimeout;

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.progresses = context.getStateStore(TransferWorkerTopology.STORE);
    this.deadlines = context.getStateStore(TransferWorkerTopology.DEADLINES_STORE);
    TransferDeadlines settings = TransferDeadlines.from(context.appConfigs());
    this.policy = new TransferProcess(settings.maxTries());
    this.stepTimeout = settings.stepTimeout();
    adoptTransfersWithoutDeadline();
    Duration interval = stepTimeout.dividedBy(4).compareTo(Duration.ofMillis(10)) < 0
        ? Duration.ofMillis(10) : stepTimeout.dividedBy(4);
    context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::sendOverdueSteps);
  }

  @Override
  public void process(Record<String, Trigger> record) {
    String transferId = record.key();
    Trigger trigger = record.value();
    if (transferId == null || trigger == null) {
      return;
    }
    // one millisecond after its cause: a shadow replay, which merges each aggregate's public and internal commands by
    // time, then puts it after the command that led to it
    long timestamp = record.timestamp() + 1;
    Cause cause = new Cause(trigger.causationId(), trigger.correlationId(), timestamp);
    Progress before = progresses.get(transferId);
    Optional<Reaction> reaction = policy.react(transferId, before, trigger.fact(), cause);
    if (reaction.isEmpty()) {
      logIgnoredRejection(transferId, before, trigger.fact());
      return;
    }
    apply(transferId, reaction.get(), timestamp);
  }

  /** Sends again the current step of every transfer whose deadline passed; gives a leg up after its last try. */
  private void sendOverdueSteps(long now) {
    List<String> overdue = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = deadlines.all()) {
      all.forEachRemaining(entry -> {
        if (entry.value <= now) {
          overdue.add(entry.key);
        }
      });
    }
    for (String transferId : overdue) {
      Progress progress = progresses.get(transferId);
      Optional<Reaction> reaction = progress == null ? Optional.empty()
          : policy.react(transferId, progress, new Fact.TimedOut(), null);
      if (reaction.isEmpty()) {
        deadlines.delete(transferId);
        continue;
      }
      Progress after = reaction.get().progress();
      if (after.step() == progress.step()) {
        log.warn("Transfer {}: step {} unanswered after {}, sending it again (try {})", transferId, progress.step(),
            stepTimeout, after.attempts());
      } else {
        log.warn("Transfer {}: step {} unanswered after {} tries, going on with {}: {}", transferId, progress.step(),
            progress.attempts(), after.step(), after.failureReason());
      }
      apply(transferId, reaction.get(), now);
    }
  }

  private void apply(String transferId, Reaction reaction, long timestamp) {
    Progress after = reaction.progress();
    progresses.put(transferId, after);
    if (after.isFinished()) {
      deadlines.delete(transferId);
    } else {
      deadlines.put(transferId, context.currentSystemTimeMs() + stepTimeout.toMillis());
    }
    if (after.step() == Step.FLAG && after.attempts() == 1) {
      log.error("Transfer {} needs attention: {}: {}", transferId, after.failureCode(), after.failureReason());
    }
    reaction.order().ifPresent(order -> context.forward(command(transferId, after, order, timestamp)));
  }

  /**
   * Gives a deadline to every unfinished transfer that has none: progress stored before the worker kept deadlines,
   * whose trigger may have been left on a topic this version no longer reads. Reads the whole store, once per task.
   */
  private void adoptTransfersWithoutDeadline() {
    List<String> adopted = new ArrayList<>();
    try (KeyValueIterator<String, Progress> all = progresses.all()) {
      all.forEachRemaining((KeyValue<String, Progress> entry) -> {
        if (!entry.value.isFinished() && deadlines.get(entry.key) == null) {
          adopted.add(entry.key);
        }
      });
    }
    long deadline = context.currentSystemTimeMs() + stepTimeout.toMillis();
    adopted.forEach(transferId -> deadlines.put(transferId, deadline));
  }

  /**
   * The command for a step, made from the progress alone, so a re-send and a replay forward the very same command;
   * only the record's timestamp says when it was sent.
   */
  private static Record<String, SpecificRecord> command(String transferId, Progress progress, Order order,
                                                        long timestamp) {
    Cause cause = progress.cause() != null ? progress.cause() : new Cause(null, null, timestamp);
    CommandMetadata metadata = CommandMetadata.newBuilder()
        .setCommandId(TransferWorkerTopology.commandId(transferId, progress.step()))
        .setCorrelationId(cause.correlationId())
        .setCausationId(cause.causationId())
        .setIssuedAt(Instant.ofEpochMilli(cause.issuedAtMillis()))
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

  private static void logIgnoredRejection(String transferId, Progress progress, Fact fact) {
    if (fact instanceof Fact.Rejected rejected && progress != null && !progress.isFinished()) {
      log.warn("Transfer {} at step {} ignores the rejection of its {} step: {}: {}", transferId, progress.step(),
          rejected.step(), rejected.code(), rejected.reason());
    }
  }
}
