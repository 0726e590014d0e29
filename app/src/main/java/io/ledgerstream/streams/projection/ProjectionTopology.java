package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.registry.AvroSerde;
import io.ledgerstream.streams.AggregateTopics;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.ClaimStage;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.RecordSerdes;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The read side: folds the logs into queryable views. For every aggregate type it keeps the history of each
 * aggregate and counts its events; for all of them the command results and counters and the correlation index; each
 * type's {@link ProjectionHook}s add its own views (summaries, statuses, indexes, ...). It only reads the
 * contract's topics, so it can be rebuilt from the logs under a new application id without touching the command
 * side. Called by the app and by the tests alike.
 */
public final class ProjectionTopology {

  private static final String REPARTITION_SUFFIX = "-repartition";

  private ProjectionTopology() {
  }

  /** The contract topics the projections read. */
  public static List<String> inputTopics(Topics topics) {
    List<String> inputs = new ArrayList<>(topics.eventTopics());
    inputs.add(topics.commandResults.name());
    inputs.addAll(topics.commandTopics());
    return List.copyOf(inputs);
  }

  /**
   * The repartition topics the projections write and read back, named after the application id like Kafka Streams:
   * the correlation index's and whatever the types' views repartition.
   */
  public static List<String> repartitionTopics(Topics topics, String applicationId) {
    return build(topics, UnconfiguredSerdes.INSTANCE).describe().subtopologies().stream()
        .flatMap(subtopology -> subtopology.nodes().stream())
        .filter(node -> node instanceof TopologyDescription.Source)
        .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
        .filter(topic -> topic.endsWith(REPARTITION_SUFFIX))
        .map(topic -> applicationId + "-" + topic)
        .distinct()
        .sorted()
        .toList();
  }

  /** {@link #repartitionTopics(Topics, String)} of the ledger's registered aggregate types. */
  public static List<String> repartitionTopics(String applicationId) {
    return repartitionTopics(new Topics(UnconfiguredSerdes.INSTANCE), applicationId);
  }

  public static Topology build(Topics topics, RecordSerdes storeSerdes) {
    StreamsBuilder builder = new StreamsBuilder();
    Map<String, KStream<String, ? extends SpecificRecord>> events = new LinkedHashMap<>();
    Map<String, KStream<String, ? extends SpecificRecord>> commands = new LinkedHashMap<>();
    for (AggregateTopics<?, ?, ?> aggregate : topics.aggregates()) {
      events.put(aggregate.type().name(), stream(builder, aggregate.events()));
      commands.put(aggregate.type().name(), commands(builder, aggregate));
    }
    KStream<String, CommandResult> results = stream(builder, topics.commandResults);

    ProjectionBuilder projections = new ProjectionBuilder(builder, storeSerdes, events);
    projections.addWriteOnceStore(ProjectionStores.COMMAND_RESULTS, storeSerdes.storeSerde(CommandResult.class));
    projections.addStore(ProjectionStores.COUNTS, Serdes.Long());
    projections.addWriteOnceStore(ProjectionStores.CORRELATIONS, new CorrelationEntrySerde());
    for (AggregateType<?, ?, ?> type : topics.types()) {
      addHistory(projections, type);
    }
    for (AggregateType<?, ?, ?> type : topics.types()) {
      type.hooks(ProjectionHook.class).forEach(hook -> hook.addTo(projections));
    }
    results.process(ResultProjector::new, Named.as("result-projector"), ProjectionStores.COMMAND_RESULTS,
        ProjectionStores.COUNTS);

    // each entry stays in its record's partition: no repartition; a query asks every instance for its part
    commands.forEach((type, stream) -> index(stream, type + "-command-correlations", (id, command) ->
        CorrelationEntry.command(type, id, Envelope.commandMetadata(command), Envelope.payload(command))));
    events.forEach((type, stream) -> index(stream, type + "-event-correlations", (id, event) ->
        CorrelationEntry.event(type, Envelope.eventMetadata(event), Envelope.payload(event))));
    index(results, "result-correlations", (commandId, result) -> CorrelationEntry.result(result));
    return builder.build();
  }

  private static <AE extends SpecificRecord> void addHistory(ProjectionBuilder projections,
                                                             AggregateType<?, AE, ?> type) {
    String store = ProjectionStores.history(type.name());
    projections.addWriteOnceStore(store, projections.storeSerde(type.eventRecord()));
    projections.events(type).process(() -> new HistoryProjector<AE>(type.name()),
        Named.as(type.name() + "-history-projector"), store, ProjectionStores.COUNTS);
  }

  /** Files each record of {@code records} in the correlation index of its own partition. */
  private static <V> void index(KStream<String, V> records, String name,
                                BiFunction<String, V, CorrelationEntry> entry) {
    records.process(() -> new CorrelationIndexer<>(entry), Named.as(name), ProjectionStores.CORRELATIONS);
  }

  /**
   * The public and the internal commands of one type, from one source named after the public topic: each command once,
   * so the internal topic's copies of claimed public commands are left out.
   */
  private static <AC extends SpecificRecord> KStream<String, AC> commands(StreamsBuilder builder,
                                                                        AggregateTopics<AC, ?, ?> topics) {
    return builder.stream(List.of(topics.commands().name(), topics.internalCommands().name()),
            Consumed.with(topics.commands().keySerde(), topics.commands().valueSerde())
                .withName(topics.commands().name()))
        .processValues(OncePerCommand::new, Named.as(topics.type().name() + "-commands-once"));
  }

  /** Drops the internal topic's copy of a claimed public command: the public topic's record stands for it. */
  private static final class OncePerCommand<V> implements FixedKeyProcessor<String, V, V> {
    private FixedKeyProcessorContext<String, V> context;

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
      if (!ClaimStage.isClaimedPublic(record.headers())) {
        context.forward(record);
      }
    }
  }

  private static <V> KStream<String, V> stream(StreamsBuilder builder, Topic<String, V> topic) {
    return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(topic.name()));
  }

  /** Serdes that are never used: enough to describe a topology. */
  private enum UnconfiguredSerdes implements RecordSerdes {
    INSTANCE;

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
      return new AvroSerde<>(type);
    }
  }
}
