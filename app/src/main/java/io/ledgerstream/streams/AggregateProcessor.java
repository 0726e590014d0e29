package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.domain.Decision;
import io.ledgerstream.domain.Rejection;
import io.ledgerstream.domain.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Drives any aggregate: for each command, in one {@code process()} call, replays a retried command's result or
 * loads the aggregate, checks the expected version, decides, evolves, stores, and forwards the events, the new
 * snapshot and the command's result.
 *
 * <p>It reads the type's internal command topic, which only the application writes: its own commands (a worker's)
 * and the public commands the {@link ClaimStage} passed on, marked by a header (the claim stage has refused worker-only
 * types and invalid input from the public side already). Public and internal commands are remembered apart (see {@link CommandMemory}), so no client can pre-empt a
 * worker's command by taking its id first. The result of an internal command carries the command's headers (a worker
 * finds what it was doing by them); the result of a public one carries none, but names the record it answers
 * ({@code source}), so no client can make a result look like a worker's or take another submission's.
 */
final class AggregateProcessor<C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord>
    implements Processor<String, AC, String, Object> {

  private final AggregateType<AC, AE, AS> type;
  private final AggregateBinding<C, E, S, AC, AE, AS> binding;
  private final AggregateTopology.Names names;
  private final Duration dedupeWindow;
  private final Topic<String, AC> publicTopic;
  private final Map<TopicPartition, Long> claimedFrom;
  private final ClaimRequest<AC> claimRequest;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, AS> aggregates;
  private CommandMemory memory;
  private ClaimQueue<AC> queue;

  private AggregateProcessor(AggregateType<AC, AE, AS> type, AggregateBinding<C, E, S, AC, AE, AS> binding,
                             Topic<String, AC> publicTopic, AggregateTopology.Names names, Duration dedupeWindow,
                             Map<TopicPartition, Long> claimedFrom) {
    this.type = type;
    this.binding = binding;
    this.publicTopic = publicTopic;
    this.names = names;
    this.dedupeWindow = dedupeWindow;
    this.claimedFrom = claimedFrom;
    this.claimRequest = new ClaimRequest<>(type, publicTopic);
  }

  /**
   * The processor of one aggregate type. In a shadow replay ({@code claimedFrom} not null) it runs what the production
   * ran, in the order it ran it: the recorded verdicts of the production's claim stage in its queue and the recorded
   * commands of the application, and public commands from before the claim stage as it read them.
   */
  static <AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord>
      Processor<String, AC, String, Object> of(AggregateType<AC, AE, AS> type, Topic<String, AC> publicTopic,
                                               AggregateTopology.Names names, Duration dedupeWindow,
                                               Map<TopicPartition, Long> claimedFrom) {
    return create(type, type.binding(), publicTopic, names, dedupeWindow, claimedFrom);
  }

  private static <C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord>
      AggregateProcessor<C, E, S, AC, AE, AS> create(AggregateType<AC, AE, AS> type,
                                                     AggregateBinding<C, E, S, AC, AE, AS> binding,
                                                     Topic<String, AC> publicTopic, AggregateTopology.Names names,
                                                     Duration dedupeWindow, Map<TopicPartition, Long> claimedFrom) {
    return new AggregateProcessor<>(type, binding, publicTopic, names, dedupeWindow, claimedFrom);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.aggregates = context.getStateStore(names.aggregateStore());
    this.memory = new CommandMemory(context, names, dedupeWindow);
    this.queue = new ClaimQueue<>(context.getStateStore(names.claimMarksStore()),
        context.getStateStore(names.claimedStore()));
  }

  /**
   * A public command waits in the queue and asks the claim stage about its id; a verdict fills its place and runs
   * what is ready at the head of the queue; the application's own commands run at once.
   */
  @Override
  public void process(Record<String, AC> record) {
    RecordMetadata from = context.recordMetadata().orElseThrow();
    if (from.topic().equals(publicTopic.name())) {
      String source = ClaimStage.position(from.topic(), from.partition(), from.offset());
      if (claimedFrom != null && from.offset() < claimedFrom.getOrDefault(
          new TopicPartition(from.topic(), from.partition()), Long.MAX_VALUE)) {
        execute(record, source, false);
        return;
      }
      queue.waiting(from.offset());
      if (claimedFrom == null) {
        context.forward(claimRequest.of(record, source), names.claimsSink());
      }
      return;
    }
    boolean verdict = ClaimStage.isClaimedPublic(record.headers());
    if (!verdict) {
      execute(record, null, false);
      return;
    }
    String source = ClaimStage.source(record.headers());
    queue.verdict(ClaimStage.sourceOffset(source), record.key(), ClaimStage.isRefused(record.headers())
        ? null : record.value(), (offset, aggregateId, command) -> execute(
            new Record<>(aggregateId, command, record.timestamp()),
            ClaimStage.position(publicTopic.name(), from.partition(), offset), claimedFrom == null));
  }

  /**
   * Decides one command: a public one written at {@code source}; else the application's. {@code passed} says this
   * code's claim stage passed it, and so has checked its input already (a shadow replay checks the production's
   * verdicts anew).
   */
  private void execute(Record<String, AC> command, String source, boolean passed) {
    boolean fromPublic = source != null;
    CommandMetadata metadata = binding.metadata(command.value());
    Optional<String> invalid = passed ? Optional.empty() : CommandInput.problem(type, command.key(), command.value());
    if (invalid.isPresent()) {
      refuse(command, source, metadata, new Rejection(RejectionCode.INVALID_INPUT, invalid.get()));
      return;
    }
    CommandResult earlier = memory.recall(!fromPublic, metadata.getCommandId(), command.timestamp());
    if (earlier != null) {
      forwardResult(command, earlier, source);
      return;
    }
    Snapshot<S> snapshot = load(command.key());
    Decision<E> decision = expectedVersionHolds(metadata, snapshot)
        ? binding.decider().decide(binding.command(command.value()), snapshot.state())
        : Decision.reject(RejectionCode.VERSION_CONFLICT, "expected version " + metadata.getExpectedVersion()
            + " but the " + type.name() + " is at version " + snapshot.version());
    CommandResult result = decision instanceof Decision.Accepted<E> accepted
        ? apply(command, metadata, snapshot, accepted.events())
        : rejected(command.key(), metadata, snapshot, ((Decision.Rejected<E>) decision).rejection(), command.timestamp());
    memory.remember(!fromPublic, result);
    forwardResult(command, result, source);
  }

  /**
   * Answers a command refused before it is decided (input no command may carry); it touches nothing, not even the
   * command memory, so the same refusal answers every retry.
   */
  private void refuse(Record<String, AC> command, String source, CommandMetadata metadata, Rejection rejection) {
    CommandResult result = rejected(command.key(), metadata, load(command.key()), rejection, command.timestamp());
    forwardResult(command, result, source);
  }

  private CommandResult apply(Record<String, AC> command, CommandMetadata metadata, Snapshot<S> snapshot, List<E> events) {
    String aggregateId = command.key();
    Instant occurredAt = Instant.ofEpochMilli(command.timestamp());
    S state = snapshot.state();
    long version = snapshot.version();
    List<String> eventIds = new ArrayList<>(events.size());
    for (E event : events) {
      version++;
      state = binding.decider().evolve(state, event);
      EventMetadata eventMetadata = EventMetadata.newBuilder()
          .setEventId(eventId(type.name(), aggregateId, version))
          .setCommandId(metadata.getCommandId())
          .setCorrelationId(correlationId(metadata))
          .setCausationId(metadata.getCommandId())
          .setAggregateId(aggregateId)
          .setAggregateVersion(version)
          .setOccurredAt(occurredAt)
          .setIssuedBy(metadata.getIssuedBy())
          .build();
      eventIds.add(eventMetadata.getEventId());
      context.forward(command.withValue((Object) binding.event(eventMetadata, event)), names.eventsSink());
    }
    if (!events.isEmpty()) {
      Snapshot<S> next = new Snapshot<>(state, version,
          snapshot.exists() ? snapshot.createdAt() : occurredAt, occurredAt);
      AS stored = binding.snapshot(aggregateId, next);
      aggregates.put(aggregateId, stored);
      context.forward(command.withValue((Object) stored), names.stateSink());
    }
    return result(aggregateId, metadata, CommandStatus.ACCEPTED, null, version, eventIds, command.timestamp());
  }

  private CommandResult rejected(String aggregateId, CommandMetadata metadata, Snapshot<S> snapshot, Rejection rejection,
                  long timestamp) {
    io.ledgerstream.avro.Rejection avro = new io.ledgerstream.avro.Rejection(rejection.code().name(), rejection.message());
    return result(aggregateId, metadata, CommandStatus.REJECTED, avro, snapshot.version(), List.of(), timestamp);
  }

  private CommandResult result(String aggregateId, CommandMetadata metadata, CommandStatus status,
                 io.ledgerstream.avro.Rejection rejection, long version, List<String> eventIds, long timestamp) {
    return CommandResult.newBuilder()
        .setCommandId(metadata.getCommandId())
        .setAggregateType(type.name())
        .setAggregateId(aggregateId)
        .setStatus(status)
        .setRejection(rejection)
        .setVersion(version)
        .setEventIds(eventIds)
        .setCorrelationId(correlationId(metadata))
        .setProcessedAt(Instant.ofEpochMilli(timestamp))
        .build();
  }

  private Snapshot<S> load(String aggregateId) {
    AS stored = aggregates.get(aggregateId);
    return stored == null ? Snapshot.initial(binding.decider().initialState()) : binding.snapshot(stored);
  }

  /**
   * Forwards a result: for the application's own command with the command's headers (a worker finds what a result
   * belongs to by them); for a public one with none, a client must not be able to set them, but naming the record
   * it answers, which a retry answered from memory names anew.
   */
  private void forwardResult(Record<String, AC> command, CommandResult result, String source) {
    boolean fromPublic = source != null;
    CommandResult answer = fromPublic ? CommandResult.newBuilder(result).setSource(source).build() : result;
    context.forward(new Record<String, Object>(answer.getCommandId(), answer, command.timestamp(),
        fromPublic ? new RecordHeaders() : command.headers()), names.resultsSink());
  }

  private static boolean expectedVersionHolds(CommandMetadata metadata, Snapshot<?> snapshot) {
    return metadata.getExpectedVersion() == null || metadata.getExpectedVersion() == snapshot.version();
  }

  private static String correlationId(CommandMetadata metadata) {
    return metadata.getCorrelationId() != null ? metadata.getCorrelationId() : metadata.getCommandId();
  }

  /**
   * Deterministic, so reprocessing a command after a crash yields the same event ids. Stored in every event and
   * result: never change how it is made.
   */
  static String eventId(String aggregateType, String aggregateId, long version) {
    return UUID.nameUUIDFromBytes((aggregateType + "/" + aggregateId + "/" + version).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
