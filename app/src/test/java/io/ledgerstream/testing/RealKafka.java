package io.ledgerstream.testing;

import io.ledgerstream.broker.EmbeddedKafkaBroker;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real Kafka broker integration tests use, one per test JVM: the one named by
 * {@code KAFKA_BOOTSTRAP_SERVERS}, else a Testcontainers broker when Docker is available, else the
 * embedded broker.
 */
public final class RealKafka {

  public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

  private static String bootstrapServers;
  private static EmbeddedKafkaBroker embedded;

  private RealKafka() {}

  /** Bootstrap servers of this JVM's broker, started on first use and stopped when the JVM exits. */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      String external = System.getenv(BOOTSTRAP_SERVERS_ENV);
      if (external != null && !external.isBlank()) {
        bootstrapServers = external;
      } else if (DockerClientFactory.instance().isDockerAvailable()) {
        bootstrapServers = startContainer();
      } else {
        bootstrapServers = embeddedBootstrapServers();
      }
    }
    return bootstrapServers;
  }

  /** Bootstrap servers of this JVM's embedded broker (free port, data under {@code target/}), whatever else exists. */
  public static synchronized String embeddedBootstrapServers() {
    if (embedded == null) {
      // the broker's own shutdown hook stops it with this JVM
      embedded = new EmbeddedKafkaBroker(TargetDirs.fresh("embedded-kafka-" + ProcessHandle.current().pid()), 0, 0)
          .start();
    }
    return embedded.bootstrapServers();
  }

  /** A topic name no other test uses. */
  public static String uniqueTopic(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** A consumer group or application id no other test uses. */
  public static String uniqueGroupId(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  // Ryuk removes the container when this JVM exits.
  @SuppressWarnings("resource")
  private static String startContainer() {
    KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
    container.start();
    return container.getBootstrapServers();
  }
}
