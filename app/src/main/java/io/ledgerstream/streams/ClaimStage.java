package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/**
 * The one gate every public command passes. The aggregate processor reads its public topic in order and sends each
 * command's claim request, keyed by command id, to {@code ledger.command-claims}; the claim processor remembers which
 * aggregate and payload first used each id ({@link Claim}) and answers with a verdict on the aggregate's internal
 * command topic, in the partition the command was read from. The first command under an id, and every exact retry of
 * it, passes; any other command under a claimed id is refused {@code COMMAND_ID_REUSED}, a public command in the
 * application's id space {@code RESERVED_COMMAND_ID} ({@link CommandIds}), a worker-only type
 * {@code RESERVED_COMMAND} and a command with input no command may carry {@code INVALID_INPUT}; a refused command
 * claims nothing and nothing is executed. The aggregate processor runs its commands in the order they were written,
 * each once its verdict is in ({@link ClaimQueue}).
 *
 * <p>Only the application writes the internal topics, so the aggregate processor can trust the verdict's headers.
 * Every result of a public command names the record it answers ({@code source}), so a client waiting for its command
 * is never answered with another's result; the refusals are keyed {@code <commandId>} NUL {@code source} on the
 * results topic, in the command id's partition, so they never replace the claimed command's result.
 */
public final class ClaimStage {

  /** Marks a command on an internal topic as a claimed public one; only the claim stage sets it. */
  public static final String ORIGIN_HEADER = "ledger.origin";
  static final String PUBLIC = "public";
  static final String SOURCE_HEADER = "ledger.source";
  static final String TYPE_HEADER = "ledger.claim.type";
  static final String AGGREGATE_HEADER = "ledger.claim.aggregate";
  static final String HASH_HEADER = "ledger.claim.hash";
  static final String CORRELATION_HEADER = "ledger.claim.correlation";
  static final String REFUSAL_CODE_HEADER = "ledger.claim.refusal-code";
  static final String REFUSAL_HEADER = "ledger.claim.refusal";
  static final String REFUSED_HEADER = "ledger.claim.refused";
  static final String STORE = "command-claims";
  static final String EXPIRY_STORE = "command-claim-expiry";
  private static final String SOURCE = "command-claims-source";
  private static final String PROCESSOR = "command-claim";
  private static final String REFUSALS = "claim-refusals-sink";
  /**
   * How much longer than the command memory a claim lives: the memory counts from the internal topic's append time,
   * which is later than the public one's, and a claim must never end before the memory that answers its retries.
   */
  static final Duration MARGIN = Duration.ofDays(1);

  private ClaimStage() {
  }

  /**
   * Adds the claim processor to {@code topology}: it reads the claim requests the aggregate processors send and
   * answers each with a verdict on the aggregate's internal command topic, in the partition of the public topic the
   * command came from, so the task that waits for it gets it.
   */
  public static void addTo(Topology topology, Topics topics, CommandSideConfig config) {
    topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
        topics.commandClaims.name());
    Map<String, String> sinks = new HashMap<>();
    topics.aggregates().forEach(aggregate -> sinks.put(aggregate.type().name(), verdictsSink(aggregate.type().name())));
    topology.addProcessor(PROCESSOR, () -> new ClaimProcessor(config.dedupeWindow().plus(MARGIN), sinks, REFUSALS),
        SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
        Serdes.String()), PROCESSOR);
    topology.addStateStore(ExpiryIndex.store(EXPIRY_STORE), PROCESSOR);
    Serializer<ClaimProcessor.Verdict> verdicts = (topic, verdict) -> verdict.command();
    StreamPartitioner<String, ClaimProcessor.Verdict> toItsTask =
        (topic, key, verdict, partitions) -> Optional.of(Set.of(verdict.partition()));
    for (AggregateTopics<?, ?, ?> aggregate : topics.aggregates()) {
      topology.addSink(sinks.get(aggregate.type().name()), aggregate.issuedCommands().name(),
          Serdes.String().serializer(), verdicts, toItsTask, PROCESSOR);
    }
    topology.addSink(REFUSALS, topics.commandResults.name(), Serdes.String().serializer(),
        topics.commandResults.valueSerde().serializer(), new ByCommandId(), PROCESSOR);
  }

  private static String verdictsSink(String type) {
    return type + "-claim-verdicts";
  }

  /** The partition of the public topic named by a {@link #position}. */
  static int sourcePartition(String source) {
    int offsetAt = source.lastIndexOf('/');
    return Integer.parseInt(source.substring(source.lastIndexOf('/', offsetAt - 1) + 1, offsetAt));
  }

  /** The offset named by a {@link #position}. */
  static long sourceOffset(String source) {
    return Long.parseLong(source.substring(source.lastIndexOf('/') + 1));
  }

  /** The public topic partition a verdict's command was read from. */
  public static TopicPartition sourcePartitionOf(Headers verdict) {
    String source = source(verdict);
    int partitionAt = source.lastIndexOf('/', source.lastIndexOf('/') - 1);
    return new TopicPartition(source.substring(0, partitionAt), sourcePartition(source));
  }

  /** The offset a verdict's command was read from. */
  public static long sourceOffsetOf(Headers verdict) {
    return sourceOffset(source(verdict));
  }

  /** Whether a verdict refuses the command it carries. */
  public static boolean isRefused(Headers headers) {
    return headers.lastHeader(REFUSED_HEADER) != null;
  }

  /** Whether a record of an internal command topic is a public command the claim stage passed on. */
  public static boolean isClaimedPublic(Headers headers) {
    return PUBLIC.equals(header(headers, ORIGIN_HEADER));
  }

  /** Where the claimed public command this record carries was written. */
  static String source(Headers headers) {
    return header(headers, SOURCE_HEADER);
  }

  static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** How a result names the public command record it answers: {@code <topic>/<partition>/<offset>}. */
  public static String position(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  /** The key of a refusal on the results topic: never a command id, since no command id may hold a NUL. */
  public static String refusalKey(String commandId, String source) {
    return commandId + "\u0000" + source;
  }

  /** Puts a refusal in the partition of its command id, where the claimed command's result is too. */
  private static final class ByCommandId implements StreamPartitioner<String, CommandResult> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, CommandResult result, int partitions) {
      byte[] id = result.getCommandId().getBytes(StandardCharsets.UTF_8);
      return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(id)) % partitions));
    }
  }

  /** A command without a key cannot be routed to an aggregate: poison, dead-lettered like bytes that do not decode. */
  static final class RequiredKey implements Deserializer<String> {
    @Override
    public String deserialize(String topic, byte[] data) {
      if (data == null) {
        throw new SerializationException("a command on " + topic + " needs its aggregate id as key");
      }
      return new String(data, StandardCharsets.UTF_8);
    }
  }
}
