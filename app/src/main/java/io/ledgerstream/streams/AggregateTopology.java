package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandResult;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/** Adds one aggregate's command processor, its two stores and its three outputs to a topology. */
public final class AggregateTopology {

  /** Every node and store name of one aggregate's sub-topology; named so state survives topology changes. */
  public record Names(String source, String processor, String aggregateStore, String dedupeStore, String expiryStore,
            String eventsSink, String stateSink, String resultsSink) {

    public static Names of(String type) {
      return new Names(type + "-commands", type + "-decider", type + "-aggregates", type + "-command-results",
          type + "-command-expiry",
          type + "-events-sink", type + "-state-sink", type + "-results-sink");
    }
  }

  private AggregateTopology() {
  }

  public static <C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> void add(
      Topology topology,
      AggregateBinding<C, E, S, AC, AE, AS> binding,
      Topic<String, AC> commands,
      Topic<String, AE> events,
      Topic<String, AS> state,
      Topic<String, CommandResult> results,
      RecordSerdes storeSerdes,
      Class<AS> stateType,
      CommandSideConfig config) {
    Names names = Names.of(binding.type());
    Serde<String> keys = Serdes.String();
    topology.addSource(names.source(), keys.deserializer(),
        new MaxSizeDeserializer<>(commands.valueSerde().deserializer(), config.maxCommandBytes()), commands.name());
    topology.addProcessor(names.processor(), () -> new AggregateProcessor<>(binding, names, config.dedupeWindow()),
        names.source());
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(names.aggregateStore()), keys, storeSerdes.storeSerde(stateType)),
        names.processor());
    topology.addStateStore(CommandMemory.resultsStore(names, storeSerdes), names.processor());
    topology.addStateStore(CommandMemory.expiryStore(names), names.processor());
    topology.addSink(names.eventsSink(), events.name(), keys.serializer(), events.valueSerde().serializer(), names.processor());
    topology.addSink(names.stateSink(), state.name(), keys.serializer(), state.valueSerde().serializer(), names.processor());
    topology.addSink(names.resultsSink(), results.name(), keys.serializer(), results.valueSerde().serializer(), names.processor());
  }
}
