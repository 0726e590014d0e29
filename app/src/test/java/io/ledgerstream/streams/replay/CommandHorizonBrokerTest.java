package io.ledgerstream.streams.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.testing.KafkaClients;
import io.ledgerstream.testing.RealKafka;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Where the recorded commands start, read from a real broker after retention deleted some of them. */
class CommandHorizonBrokerTest {

  private static final Instant FIRST_EVENT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void commandsDeletedByRetentionStartTheReplayableHistoryAfterTheFirstEvent() throws Exception {
    String kafka = RealKafka.bootstrapServers();
    String commands = RealKafka.uniqueTopic("horizon-commands");
    String events = RealKafka.uniqueTopic("horizon-events");
    KafkaClients.createTopic(kafka, commands, 2);
    KafkaClients.createTopic(kafka, events, 2);
    try (KafkaProducer<String, String> producer = KafkaClients.producer(kafka)) {
      for (int i = 0; i < 4; i++) {
        producer.send(new ProducerRecord<>(commands, 0, at(i).toEpochMilli(), "A-1", "command " + i));
        producer.send(new ProducerRecord<>(events, 0, at(i).toEpochMilli(), "A-1", "event " + i));
      }
      producer.send(new ProducerRecord<>(commands, 1, at(1).toEpochMilli(), "A-2", "command"));
    }
    try (Admin admin = KafkaClients.admin(kafka)) {
      Map<String, Object> client = Map.of("bootstrap.servers", kafka);
      CommandHorizon complete = CommandHorizon.read(admin, client, List.of(commands), List.of(events));
      assertThat(complete.commandsFrom()).isEmpty();
      assertThat(complete.firstEventAt()).hasValue(FIRST_EVENT);
      assertThat(complete.cutsHistory()).isFalse();

      admin.deleteRecords(Map.of(new TopicPartition(commands, 0), RecordsToDelete.beforeOffset(2))).all().get();
      CommandHorizon cut = CommandHorizon.read(admin, client, List.of(commands), List.of(events));
      assertThat(cut.commandsFrom()).hasValue(at(2));
      assertThat(cut.cutsHistory()).isTrue();
      assertThat(cut.replayable(at(1))).isFalse();
      assertThat(cut.replayable(at(2))).isTrue();
    }
  }

  private static Instant at(int hours) {
    return FIRST_EVENT.plusSeconds(3600L * hours);
  }
}
