package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandResult;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Adds one aggregate's command processor, its stores, its two command sources (the public topic, in order, and the
 * internal topic, with the worker's commands and the claim stage's verdicts) and its four outputs to a topology.
 */
public final class AggregateTopology {

  /** Every node and store name of one aggregate's sub-topology; named so state survives topology changes. */
  public record Names(String source, String internalSource, String processor, String aggregateStore,
                      String dedupeStore, String expiryStore, String claimMarksStore, String claimedStore,
                      String eventsSink, String stateSink, String resultsSink, String claimsSink) {

    public static Names of(String type) {
      return new Names(type + "-commands", type + "-internal-commands", type + "-decider", type + "-aggregates",
          type + "-command-results", type + "-command-expiry", type + "-claim-marks", type + "-claimed-commands",
          type + "-events-sink", type + "-state-sink", type + "-results-sink", type + "-claims-sink");
    }
  }

  private AggregateTopology() {
  }

  public static <AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> void add(
      Topology topology,
      AggregateTopics<AC, AE, AS> topics,
      Topic<String, CommandResult> results,
      Topic<String, byte[]> claims,
      RecordSerdes storeSerdes,
      CommandSideConfig config) {
    AggregateType<AC, AE, AS> type = topics.type();
    Names names = Names.of(type.name());
    Serde<String> keys = Serdes.String();
    topology.addSource(names.source(), new ClaimStage.RequiredKey(),
        new MaxSizeDeserializer<>(topics.commands().valueSerde().deserializer(), config.maxCommandBytes()),
        topics.commands().name());
    // a shadow replay runs the production's recorded internal commands, claim verdicts included, and nothing else
    boolean shadow = !topics.issuedCommands().name().equals(topics.internalCommands().name());
    topology.addSource(names.internalSource(), new ClaimStage.RequiredKey(),
        new MaxSizeDeserializer<>(topics.internalCommands().valueSerde().deserializer(), config.maxCommandBytes()),
        topics.internalCommands().name());
    topology.addProcessor(names.processor(), () -> AggregateProcessor.of(type, topics.commands(), names,
        config.dedupeWindow(), shadow ? config.claimedFrom() : null), names.source(), names.internalSource());
    topology.addStateStore(ClaimQueue.marksStore(names.claimMarksStore()), names.processor());
    topology.addStateStore(ClaimQueue.passedStore(names.claimedStore(), storeSerdes.storeSerde(type.commandRecord())),
        names.processor());
    topology.addSink(names.claimsSink(), claims.name(), keys.serializer(), claims.valueSerde().serializer(),
        names.processor());
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
