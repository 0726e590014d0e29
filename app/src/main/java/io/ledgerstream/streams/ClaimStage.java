package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The one gate every public command passes: the public command topics are re-keyed by command id to a claim
 * processor, which remembers which aggregate and payload first used each id ({@link Claim}). The first command under
 * an id, and every exact retry of it, goes on to its aggregate's internal command topic with a header marking it
 * public; any other command under a claimed id is refused {@code COMMAND_ID_REUSED}, a public command in the
 * application's id space {@code RESERVED_COMMAND_ID} ({@link CommandIds}), a worker-only type
 * {@code RESERVED_COMMAND} and a command with input no command may carry {@code INVALID_INPUT}; a refused command
 * claims nothing and nothing is executed.
 *
 * <p>The aggregate processors read only the internal topics, which only the application writes, so they can trust
 * the header. Every result of a public command names the record it answers ({@code source}), so a client waiting for
 * its command is never answered with another's result; the refusals are keyed {@code <commandId>} NUL {@code source}
 * on the results topic, in the command id's partition, so they never replace the claimed command's result.
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
  static final String STORE = "command-claims";
  static final String EXPIRY_STORE = "command-claim-expiry";
  static final String REPARTITION = "command-claims";
  /**
   * How much longer than the command memory a claim lives: the memory counts from the internal topic's append time,
   * which is later than the public one's, and a claim must never end before the memory that answers its retries.
   */
  static final Duration MARGIN = Duration.ofDays(1);

  private ClaimStage() {
  }

  /** Adds the claim stage of every aggregate type's public commands to {@code builder}. */
  public static void addTo(StreamsBuilder builder, Topics topics, CommandSideConfig config) {
    KStream<String, byte[]> requests = null;
    for (AggregateTopics<?, ?, ?> aggregate : topics.aggregates()) {
      KStream<String, byte[]> typed = requests(builder, aggregate, config);
      requests = requests == null ? typed : requests.merge(typed, Named.as(aggregate.type().name() + "-claim-merge"));
    }
    if (requests == null) {
      return;
    }
    builder.addStateStore(ExpiryIndex.store(EXPIRY_STORE));
    builder.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.String()));
    KStream<String, ClaimProcessor.Outcome> outcomes = requests
        .repartition(Repartitioned.<String, byte[]>as(REPARTITION).withKeySerde(Serdes.String())
            .withValueSerde(Serdes.ByteArray()))
        .process(() -> new ClaimProcessor(config.dedupeWindow().plus(MARGIN)), Named.as("command-claim"),
            STORE, EXPIRY_STORE);
    for (AggregateTopics<?, ?, ?> aggregate : topics.aggregates()) {
      String type = aggregate.type().name();
      outcomes
          .filter((id, outcome) -> outcome instanceof ClaimProcessor.Passed passed && passed.type().equals(type),
              Named.as(type + "-claimed"))
          .mapValues(outcome -> ((ClaimProcessor.Passed) outcome).command(), Named.as(type + "-claimed-command"))
          .to(aggregate.issuedCommands().name(), Produced.with(Serdes.String(), Serdes.ByteArray())
              .withName(type + "-claimed-sink"));
    }
    outcomes
        .filter((key, outcome) -> outcome instanceof ClaimProcessor.Refused, Named.as("claim-refused"))
        .mapValues(outcome -> ((ClaimProcessor.Refused) outcome).result(), Named.as("claim-refusal"))
        .to(topics.commandResults.name(), Produced.with(Serdes.String(), topics.commandResults.valueSerde())
            .withStreamPartitioner(new ByCommandId()).withName("claim-refusals-sink"));
  }

  private static <AC extends SpecificRecord> KStream<String, byte[]> requests(
      StreamsBuilder builder, AggregateTopics<AC, ?, ?> aggregate, CommandSideConfig config) {
    Topic<String, AC> commands = aggregate.commands();
    Serde<AC> values = Serdes.serdeFrom(commands.valueSerde().serializer(),
        new MaxSizeDeserializer<>(commands.valueSerde().deserializer(), config.maxCommandBytes()));
    String type = aggregate.type().name();
    return builder
        .stream(commands.name(), Consumed.with(Serdes.serdeFrom(Serdes.String().serializer(), new RequiredKey()), values)
            .withName(type + "-commands"))
        .process(() -> new ClaimRequest<>(aggregate.type(), commands), Named.as(type + "-claim-request"));
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
