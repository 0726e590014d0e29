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
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Drives any aggregate: for each command, in one {@code process()} call, replays a retried command's result or
 * loads the aggregate, checks the expected version, decides, evolves, stores, and forwards the events, the new
 * snapshot and the command's result.
 *
 * <p>It reads the type's public and internal command topics. A worker-only command type on the public topic is
 * rejected with {@code RESERVED_COMMAND}, whoever sent it, and touches nothing, not even the command memory. Public
 * and internal commands are remembered apart (see {@link CommandMemory}), so no client can pre-empt a worker's
 * command by taking its id first. The
 * result of an internal command carries the command's headers (a worker finds what it was doing by them); the
 * result of a public one carries none, so no client can make a result look like a worker's.
 */
final class AggregateProcessor<C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord>
    implements Processor<String, AC, String, SpecificRecord> {

  private final AggregateType<AC, AE, AS> type;
  private final AggregateBinding<C, E, S, AC, AE, AS> binding;
  private final AggregateTopology.Names names;
  private final Duration dedupeWindow;
  private final String publicTopic;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, AS> aggregates;
  private CommandMemory memory;

  private AggregateProcessor(AggregateType<AC, AE, AS> type, AggregateBinding<C, E, S, AC, AE, AS> binding,
                             AggregateTopology.Names names, Duration dedupeWindow, String publicTopic) {
    this.type = type;
    this.binding = binding;
    this.names = names;
    this.dedupeWindow = dedupeWindow;
    this.publicTopic = publicTopic;
  }

  /** The processor of one aggregate type, reading {@code publicTopic} and its internal command topic. */
  static <AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord>
      Processor<String, AC, String, SpecificRecord> of(AggregateType<AC, AE, AS> type, AggregateTopology.Names names,
                                                       Duration dedupeWindow, String publicTopic) {
    return create(type, type.binding(), names, dedupeWindow, publicTopic);
  }

  private static <C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord>
      AggregateProcessor<C, E, S, AC, AE, AS> create(AggregateType<AC, AE, AS> type,
                                                     AggregateBinding<C, E, S, AC, AE, AS> binding,
                                                     AggregateTopology.Names names, Duration dedupeWindow,
                                                     String publicTopic) {
    return new AggregateProcessor<>(type, binding, names, dedupeWindow, publicTopic);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.aggregates = context.getStateStore(names.aggregateStore());
    this.memory = new CommandMemory(context, names, dedupeWindow);
  }

  @Override
  public void process(Record<String, AC> command) {
    if (command.key() == null || command.value() == null) {
      throw new IllegalArgumentException("a command needs its " + type.name() + " id as key and a value; got key "
          + command.key() + (command.value() == null ? " and no value" : ""));
    }
    CommandMetadata metadata = binding.metadata(command.value());
    boolean fromPublic = context.recordMetadata().map(record -> record.topic().equals(publicTopic)).orElse(true);
    if (fromPublic && type.isWorkerOnly(Envelope.payloadType(command.value()))) {
      refuse(command, metadata, new Rejection(RejectionCode.RESERVED_COMMAND, Envelope.payloadType(command.value())
          + " is sent by the application only, never on " + publicTopic));
      return;
    }
    Optional<String> invalid = CommandInput.problem(type, command.key(), command.value());
    if (invalid.isPresent()) {
      refuse(command, metadata, new Rejection(RejectionCode.INVALID_INPUT, invalid.get()));
      return;
    }
    CommandResult earlier = memory.recall(!fromPublic, metadata.getCommandId(), command.timestamp());
    if (earlier != null) {
      forwardResult(command, earlier, !fromPublic);
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
    memory.remember(!fromPublic, result, command.timestamp());
    forwardResult(command, result, !fromPublic);
  }

  /**
   * Answers a command refused before it is decided (a worker-only type on the public topic, input no command may
   * carry); it touches nothing, not even the command memory, so the same refusal answers every retry.
   */
  private void refuse(Record<String, AC> command, CommandMetadata metadata, Rejection rejection) {
    CommandResult result = rejected(command.key(), metadata, load(command.key()), rejection, command.timestamp());
    forwardResult(command, result, false);
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
      context.forward(command.withValue((SpecificRecord) binding.event(eventMetadata, event)), names.eventsSink());
    }
    if (!events.isEmpty()) {
      Snapshot<S> next = new Snapshot<>(state, version,
          snapshot.exists() ? snapshot.createdAt() : occurredAt, occurredAt);
      AS stored = binding.snapshot(aggregateId, next);
      aggregates.put(aggregateId, stored);
      context.forward(command.withValue((SpecificRecord) stored), names.stateSink());
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
   * Forwards a result, with the command's headers only for an internal command: a worker finds what a rejection
   * belongs to by them, and a client must not be able to set them.
   */
  private void forwardResult(Record<String, AC> command, CommandResult result, boolean keepHeaders) {
    context.forward(new Record<String, SpecificRecord>(result.getCommandId(), result, command.timestamp(),
        keepHeaders ? command.headers() : new RecordHeaders()), names.resultsSink());
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
