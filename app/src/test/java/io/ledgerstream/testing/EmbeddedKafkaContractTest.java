package io.ledgerstream.testing;

/** The Kafka contract on the embedded broker, which every machine can run. */
class EmbeddedKafkaContractTest extends KafkaContract {

  @Override
  protected String bootstrapServers() {
    return RealKafka.embeddedBootstrapServers();
  }
}
