package io.ledgerstream.streams;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The command side: the claim stage of the public commands, every aggregate type's processor and what their hooks add
 * (workers) in one exactly-once topology; called by the app and by the tests alike.
 */
public final class CommandTopology {

  private CommandTopology() {
  }

  public static Topology build(Topics topics, RecordSerdes storeSerdes, CommandSideConfig config) {
    StreamsBuilder builder = new StreamsBuilder();
    ClaimStage.addTo(builder, topics, config);
    for (AggregateType<?, ?, ?> type : topics.types()) {
      type.hooks(CommandSideHook.class).forEach(hook -> hook.addTo(builder, topics, storeSerdes));
    }
    Topology topology = builder.build();
    for (AggregateTopics<?, ?, ?> aggregate : topics.aggregates()) {
      AggregateTopology.add(topology, aggregate, topics.commandResults, storeSerdes, config);
    }
    return topology;
  }
}
