package io.ledgerstream.bench;

import io.ledgerstream.streams.ConsumerLag;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.projection.ProjectionTopology;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.DoubleConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** The ledger's projections under an application id of the bench's choosing, and when they have caught up. */
final class Projections {

  static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(60);
  private static final long POLL_MILLIS = 100;

  private Projections() {
  }

  /** Every topic the projections read from the outside. */
  static List<String> inputs(BenchCluster cluster) {
    return ProjectionTopology.inputTopics(cluster.topics());
  }

  /** Creates the application with the live settings, without starting it; {@code applicationServer} may be null. */
  static KafkaStreams create(BenchCluster cluster, String applicationId, String applicationServer) {
    return create(cluster, applicationId, applicationServer, false);
  }

  /**
   * Creates the application without starting it, with the settings of a generation catching up with the logs or
   * with the live ones.
   */
  static KafkaStreams create(BenchCluster cluster, String applicationId, String applicationServer,
                             boolean catchingUp) {
    Properties config = catchingUp
        ? StreamsSettings.projectionsCatchingUp(applicationId, cluster.clientProperties(), cluster.stateDir())
        : StreamsSettings.projections(applicationId, cluster.clientProperties(), cluster.stateDir());
    if (applicationServer != null) {
      config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    }
    return new KafkaStreams(ProjectionTopology.build(cluster.topics(), cluster.serdes()), config);
  }

  /**
   * Waits until the application's committed offsets reach the end of its inputs and of its own repartition topics;
   * with exactly-once they move only when a transaction commits, so everything before them is in the stores.
   *
   * @param progress called with the share of the input records processed, from 0 to 1
   */
  static void awaitCaughtUp(BenchCluster cluster, String applicationId, DoubleConsumer progress) {
    awaitCaughtUp(cluster, applicationId, inputs(cluster), ProjectionTopology.repartitionTopics(applicationId),
        progress);
  }

  /** Waits until any application's committed offsets reach the end of the given inputs and internal topics. */
  static void awaitCaughtUp(BenchCluster cluster, String applicationId, List<String> inputs, List<String> internals,
                            DoubleConsumer progress) {
    long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
    try (Admin admin = cluster.admin()) {
      while (true) {
        ConsumerLag lag = ConsumerLag.measure(admin, applicationId, inputs, internals);
        progress.accept(lag.total() == 0 ? 1 : (double) lag.done() / lag.total());
        if (lag.caughtUp()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(applicationId + " processed " + lag.done() + " of " + lag.total()
              + " input records in " + CATCH_UP_TIMEOUT.toMinutes() + " min");
        }
        Sleep.millis(POLL_MILLIS);
      }
    }
  }
}
