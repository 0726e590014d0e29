package io.ledgerstream.testing;

import static io.ledgerstream.testing.KafkaClients.poll;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What the project needs from any real Kafka broker; each subclass runs it against one kind of broker. */
public abstract class KafkaContract {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  protected abstract String bootstrapServers();

  @Test
  void readCommittedConsumerSeesOnlyCommittedTransactions() {
    String topic = RealKafka.uniqueTopic("contract-tx");
    KafkaClients.createTopic(bootstrapServers(), topic, 1);
    try (KafkaProducer<String, String> producer =
        KafkaClients.transactionalProducer(bootstrapServers(), RealKafka.uniqueGroupId("contract-tx"))) {
      producer.initTransactions();
      KafkaClients.sendCommitted(producer, topic, "first", "second");
      KafkaClients.sendAborted(producer, topic, "aborted");
      KafkaClients.sendCommitted(producer, topic, "third");
    }

    try (KafkaConsumer<String, String> consumer =
        KafkaClients.readCommittedConsumer(bootstrapServers(), RealKafka.uniqueGroupId("contract-tx"))) {
      consumer.subscribe(List.of(topic));
      assertThat(poll(consumer, 3, TIMEOUT)).extracting(ConsumerRecord::value)
          .containsExactly("first", "second", "third");
    }
  }

  @Test
  void groupResumesAfterItsCommittedOffset() {
    String topic = RealKafka.uniqueTopic("contract-group");
    String group = RealKafka.uniqueGroupId("contract-group");
    KafkaClients.createTopic(bootstrapServers(), topic, 1);
    try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrapServers())) {
      for (String value : new String[] {"one", "two", "three"}) {
        producer.send(new ProducerRecord<>(topic, "key", value));
      }
    }

    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> consumer = KafkaClients.readCommittedConsumer(bootstrapServers(), group)) {
      consumer.subscribe(List.of(topic));
      assertThat(poll(consumer, 3, TIMEOUT)).hasSize(3);
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(2)));
    }
    try (KafkaConsumer<String, String> consumer = KafkaClients.readCommittedConsumer(bootstrapServers(), group)) {
      consumer.subscribe(List.of(topic));
      assertThat(poll(consumer, 1, TIMEOUT)).extracting(ConsumerRecord::value).containsExactly("three");
    }
  }
}
