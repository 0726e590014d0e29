package io.ledgerstream.streams;

import org.apache.kafka.streams.StreamsBuilder;

/** Adds to the command side's exactly-once topology, e.g. a process manager reacting to events with commands. */
public interface CommandSideHook extends AggregateHook {

  /**
   * Adds nodes to the command side. Commands the hook sends go to the {@link AggregateTopics#issuedCommands} of their
   * aggregate type, never to a public command topic. Every node, store and internal topic needs a name of its own.
   */
  void addTo(StreamsBuilder builder, Topics topics, RecordSerdes storeSerdes);
}
