package io.ledgerstream.bench;

import io.ledgerstream.streams.StreamsSettings;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;

/**
 * The rebuild's stateful baseline: the least an exactly-once stateful Kafka Streams job does over the same records, a
 * count per key into a RocksDB store with its changelog, with the settings a catching-up generation runs with.
 */
final class CountBaseline {

  private CountBaseline() {
  }

  /** Runs the count over {@code topics} from their beginning until it caught up; returns the nanoseconds it took. */
  static long run(BenchCluster cluster, List<String> topics) {
    String applicationId = "ledgerstream-bench-count-" + System.currentTimeMillis();
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topics, Consumed.with(Serdes.Bytes(), Serdes.ByteArray()).withName("records"))
        .groupByKey(Grouped.with("by-key", Serdes.Bytes(), Serdes.ByteArray()))
        .count(Named.as("count"), Materialized.as("counts"));
    Properties config = StreamsSettings.projectionsCatchingUp(applicationId, cluster.clientProperties(),
        cluster.stateDir());
    KafkaStreams streams = new KafkaStreams(builder.build(), config);
    try {
      long started = System.nanoTime();
      streams.start();
      Projections.awaitCaughtUp(cluster, applicationId, topics, List.of(), share -> { });
      return System.nanoTime() - started;
    } finally {
      BenchCluster.stop(streams);
      streams.cleanUp();
    }
  }
}
