package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.Rejection;
import io.ledgerstream.domain.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides, per command id, whether a public command may go on to its aggregate (see {@link ClaimStage}). Claims are
 * kept for {@code window} of stream time, then forgotten ({@link ExpirySweep}); deciding never throws for any input.
 */
final class ClaimProcessor implements Processor<String, byte[], String, Object> {

  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

  /**
   * The verdict on a public command, for its aggregate's task: the command's bytes, to run or (refused) to drop, and
   * the partition of the public topic it was read from, whose task waits for it.
   */
  record Verdict(byte[] command, int partition) {
  }

  private final long windowMs;
  private final Map<String, String> sinks;
  private final String refusalsSink;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, String> claims;
  private ExpirySweep<String> sweep;

  /**
   * @param window how long a claim is kept
   * @param sinks the sink of each aggregate type's internal command topic, by type name
   * @param refusalsSink the sink of the refusals' results
   */
  ClaimProcessor(Duration window, Map<String, String> sinks, String refusalsSink) {
    this.windowMs = window.toMillis();
    this.sinks = sinks;
    this.refusalsSink = refusalsSink;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.claims = context.getStateStore(ClaimStage.STORE);
    this.sweep = new ExpirySweep<>(claims, stored -> Claim.decode(stored).claimedAt());
    // earlier versions kept an expiry index beside the claims; what it still holds is forgotten through it
    ExpiryIndex legacy = new ExpiryIndex(context.getStateStore(ClaimStage.EXPIRY_STORE));
    context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, streamTime -> {
      long before = streamTime - windowMs;
      legacy.expireBefore(before, commandId -> sweep.deleteIfBefore(commandId, before));
      sweep.sweep(before);
    });
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
      sweep.wrote();
    } else if (!held.sameCommand(claim)) {
      refuse(request, claim, RejectionCode.COMMAND_ID_REUSED, "command id '" + commandId + "' was first used by "
          + "another command; a retry must repeat its command exactly, and a new command needs a new id");
      return;
    }
    answer(request, claim, true);
  }

  /** Sends the verdict to the aggregate's task, the one that reads the command's partition of the public topic. */
  private void answer(Record<String, byte[]> request, Claim claim, boolean passed) {
    Headers headers = new RecordHeaders();
    headers.add(ClaimStage.ORIGIN_HEADER, ClaimStage.PUBLIC.getBytes(StandardCharsets.UTF_8));
    headers.add(ClaimStage.SOURCE_HEADER, request.headers().lastHeader(ClaimStage.SOURCE_HEADER).value());
    if (!passed) {
      headers.add(ClaimStage.REFUSED_HEADER, new byte[0]);
    }
    int partition = ClaimStage.sourcePartition(ClaimStage.header(request.headers(), ClaimStage.SOURCE_HEADER));
    context.forward(new Record<String, Object>(claim.aggregateId(), new Verdict(request.value(), partition),
        request.timestamp(), headers), sinks.get(claim.aggregateType()));
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
    context.forward(new Record<String, Object>(ClaimStage.refusalKey(request.key(), source), result,
        request.timestamp(), new RecordHeaders()), refusalsSink);
    answer(request, claim, false);
  }
}
