package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandResult;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Adds one aggregate's command processor, its stores, its command source (the internal topic, where the claim stage
 * passes public commands on) and its three outputs to a topology.
 */
public final class AggregateTopology {

  /** Every node and store name of one aggregate's sub-topology; named so state survives topology changes. */
  public record Names(String internalSource, String processor, String aggregateStore,
                      String dedupeStore, String expiryStore, String eventsSink, String stateSink, String resultsSink) {

    public static Names of(String type) {
      return new Names(type + "-internal-commands", type + "-decider", type + "-aggregates",
          type + "-command-results", type + "-command-expiry",
          type + "-events-sink", type + "-state-sink", type + "-results-sink");
    }
  }

  private AggregateTopology() {
  }

  public static <AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> void add(
      Topology topology,
      AggregateTopics<AC, AE, AS> topics,
      Topic<String, CommandResult> results,
      RecordSerdes storeSerdes,
      CommandSideConfig config) {
    AggregateType<AC, AE, AS> type = topics.type();
    Names names = Names.of(type.name());
    Serde<String> keys = Serdes.String();
    // a shadow replay executes the production's recorded internal commands but claims the public ones itself
    boolean shadow = !topics.issuedCommands().name().equals(topics.internalCommands().name());
    String recorded = topics.internalCommands().name();
    topology.addSource(names.internalSource(), new ClaimStage.RequiredKey(),
        new MaxSizeDeserializer<>(topics.internalCommands().valueSerde().deserializer(), config.maxCommandBytes()),
        shadow ? new String[] {recorded, topics.issuedCommands().name()} : new String[] {recorded});
    topology.addProcessor(names.processor(),
        () -> AggregateProcessor.of(type, names, config.dedupeWindow(), shadow ? recorded : null),
        names.internalSource());
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(names.aggregateStore()), keys, storeSerdes.storeSerde(type.stateRecord())),
        names.processor());
    topology.addStateStore(CommandMemory.resultsStore(names, storeSerdes), names.processor());
    topology.addStateStore(ExpiryIndex.store(names.expiryStore()), names.processor());
    topology.addSink(names.eventsSink(), topics.events().name(), keys.serializer(),
        topics.events().valueSerde().serializer(), names.processor());
    topology.addSink(names.stateSink(), topics.state().name(), keys.serializer(),
        topics.state().valueSerde().serializer(), names.processor());
    topology.addSink(names.resultsSink(), results.name(), keys.serializer(), results.valueSerde().serializer(),
        names.processor());
  }
}
