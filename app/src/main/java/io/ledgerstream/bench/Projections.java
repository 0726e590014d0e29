package io.ledgerstream.bench;

import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.projection.ProjectionTopology;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.DoubleConsumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** The ledger's projections under an application id of the bench's choosing, and what they read. */
final class Projections {

  /** Every topic {@link ProjectionTopology} reads. */
  static final List<String> INPUTS = List.of(Topics.ACCOUNT_EVENTS, Topics.TRANSFER_EVENTS, Topics.COMMAND_RESULTS,
      Topics.ACCOUNT_COMMANDS, Topics.TRANSFER_COMMANDS);
  static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(60);

  private Projections() {
  }

  /** Creates the application without starting it; {@code applicationServer} may be null. */
  static KafkaStreams create(BenchCluster cluster, String applicationId, String applicationServer) {
    Properties config = StreamsSettings.projections(applicationId, cluster.clientProperties(), cluster.stateDir());
    if (applicationServer != null) {
      config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    }
    return new KafkaStreams(ProjectionTopology.build(cluster.topics(), cluster.serdes()), config);
  }

  /** Waits until the application has processed everything now in its inputs, including its repartitioned records. */
  static void awaitCaughtUp(BenchCluster cluster, String applicationId, DoubleConsumer progress) {
    Catchup.await(cluster, applicationId, INPUTS, internalTopics(applicationId), CATCH_UP_TIMEOUT, progress);
  }

  static List<String> internalTopics(String applicationId) {
    return List.of(applicationId + "-" + ProjectionTopology.BY_OWNER_REPARTITION + "-repartition",
        applicationId + "-" + ProjectionTopology.CORRELATION_REPARTITION + "-repartition");
  }
}
