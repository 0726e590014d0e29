package io.ledgerstream.testing;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The Kafka contract on a Testcontainers broker; runs only where Docker is available. */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaContractTest extends KafkaContract {

  @Container
  static final KafkaContainer kafka = new KafkaContainer(RealKafka.KAFKA_IMAGE);

  @Override
  protected String bootstrapServers() {
    return kafka.getBootstrapServers();
  }
}
