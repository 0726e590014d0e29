package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.Rejection;
import io.ledgerstream.domain.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides, per command id, whether a public command may go on to its aggregate (see {@link ClaimStage}). Claims are
 * kept for {@code window} of stream time, then forgotten; deciding never throws for any input.
 */
final class ClaimProcessor implements Processor<String, byte[], String, ClaimProcessor.Outcome> {

  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

  /** What became of a claim request. */
  sealed interface Outcome permits Passed, Refused {
  }

  /** The command goes on to its aggregate: {@code command} keyed by the aggregate id. */
  record Passed(String type, byte[] command) implements Outcome {
  }

  /** The command was refused; {@code result} says why. */
  record Refused(CommandResult result) implements Outcome {
  }

  private final long windowMs;
  private ProcessorContext<String, Outcome> context;
  private KeyValueStore<String, String> claims;
  private ExpiryIndex expiry;

  ClaimProcessor(Duration window) {
    this.windowMs = window.toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Outcome> context) {
    this.context = context;
    this.claims = context.getStateStore(ClaimStage.STORE);
    this.expiry = new ExpiryIndex(context.getStateStore(ClaimStage.EXPIRY_STORE));
    context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME,
        streamTime -> expiry.expireBefore(streamTime - windowMs, claims::delete));
  }

  @Override
  public void process(Record<String, byte[]> request) {
    String commandId = request.key();
    Headers headers = request.headers();
    Claim claim = new Claim(ClaimStage.header(headers, ClaimStage.TYPE_HEADER),
        ClaimStage.header(headers, ClaimStage.AGGREGATE_HEADER), ClaimStage.header(headers, ClaimStage.HASH_HEADER),
        request.timestamp());
    String refusal = ClaimStage.header(headers, ClaimStage.REFUSAL_CODE_HEADER);
    if (refusal != null) {
      refuse(request, claim, RejectionCode.valueOf(refusal), ClaimStage.header(headers, ClaimStage.REFUSAL_HEADER));
      return;
    }
    if (CommandIds.isReserved(commandId)) {
      refuse(request, claim, RejectionCode.RESERVED_COMMAND_ID, "command ids of the form of a name-based (version 3) "
          + "UUID are the application's own; use another id, for example a random (version 4) UUID");
      return;
    }
    Claim held = held(commandId, request.timestamp());
    if (held == null) {
      claims.put(commandId, claim.encode());
      expiry.add(commandId, claim.claimedAt());
    } else if (!held.sameCommand(claim)) {
      refuse(request, claim, RejectionCode.COMMAND_ID_REUSED, "command id '" + commandId + "' was first used by "
          + "another command; a retry must repeat its command exactly, and a new command needs a new id");
      return;
    }
    Headers passed = new RecordHeaders();
    passed.add(ClaimStage.ORIGIN_HEADER, ClaimStage.PUBLIC.getBytes(StandardCharsets.UTF_8));
    passed.add(ClaimStage.SOURCE_HEADER, headers.lastHeader(ClaimStage.SOURCE_HEADER).value());
    context.forward(new Record<>(claim.aggregateId(), new Passed(claim.aggregateType(), request.value()),
        request.timestamp(), passed));
  }

  /** The claim on {@code commandId} still within the window at {@code now}, or null. */
  private Claim held(String commandId, long now) {
    String stored = claims.get(commandId);
    if (stored == null) {
      return null;
    }
    Claim held = Claim.decode(stored);
    return now - held.claimedAt() > windowMs ? null : held;
  }

  private void refuse(Record<String, byte[]> request, Claim claim, RejectionCode code, String message) {
    String source = ClaimStage.header(request.headers(), ClaimStage.SOURCE_HEADER);
    String correlation = ClaimStage.header(request.headers(), ClaimStage.CORRELATION_HEADER);
    CommandResult result = CommandResult.newBuilder()
        .setCommandId(request.key())
        .setAggregateType(claim.aggregateType())
        .setAggregateId(claim.aggregateId())
        .setStatus(CommandStatus.REJECTED)
        .setRejection(new Rejection(code.name(), message))
        .setVersion(0)
        .setEventIds(List.of())
        .setCorrelationId(correlation != null ? correlation : request.key())
        .setProcessedAt(Instant.ofEpochMilli(request.timestamp()))
        .setSource(source)
        .build();
    context.forward(new Record<>(ClaimStage.refusalKey(request.key(), source), new Refused(result),
        request.timestamp(), new RecordHeaders()));
  }
}
