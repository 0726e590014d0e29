package io.ledgerstream.streams;

import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.streams.worker.TransferWorkerTopology;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The command side: every aggregate's processor and the transfer worker in one exactly-once topology; called by the
 * app and by the tests alike.
 */
public final class CommandTopology {

  private CommandTopology() {
  }

  public static Topology build(Topics topics, RecordSerdes storeSerdes, CommandSideConfig config) {
    StreamsBuilder builder = new StreamsBuilder();
    TransferWorkerTopology.add(builder, topics, storeSerdes);
    Topology topology = builder.build();
    AggregateTopology.add(topology, new AccountBinding(), topics.accountCommands, topics.accountEvents,
        topics.accountState, topics.commandResults, storeSerdes, AccountState.class, config);
    AggregateTopology.add(topology, new TransferBinding(), topics.transferCommands, topics.transferEvents,
        topics.transferState, topics.commandResults, storeSerdes, TransferState.class, config);
    return topology;
  }
}
