package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.DebitForTransfer;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.transfer.TransferEventFixtures;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transfer events written in an older version of their event type (the wire-format fixtures of TransferRequested v1)
 * reach every reader of a running node in the newest shape: the events route, the live stream, the transfer
 * projection, the correlation index and the transfer worker.
 */
class OlderEventVersionsHttpTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);

  private static LedgerNode node;
  private static HttpClientSupport http;
  private static final InMemorySchemaRegistry REGISTRY =
      InMemorySchemaRegistry.scope(TestNodes.REGISTRY_URL.substring("mock://".length()));

  @BeforeAll
  static void startNodeAndWriteTheOlderEvents() throws Exception {
    node = TestNodes.start("older-event-versions", 0);
    http = new HttpClientSupport(node.httpUrl());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new ByteArraySerializer())) {
      for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
        producer.send(new ProducerRecord<>(Topics.TRANSFER_EVENTS, fixture.transferId(), fixture.bytesIn(REGISTRY)))
            .get();
      }
    }
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theEventsRouteServesAnOlderVersionInTheNewestShape() {
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      JsonNode page = await().atMost(WITHIN).until(
          () -> json(http.get("/transfers/" + fixture.transferId() + "/events")),
          body -> body.path("events").size() == 1);

      JsonNode event = page.path("events").get(0);
      assertThat(event.path("metadata").path("eventId").asText()).isEqualTo(fixture.eventId());
      assertNewestShape(event.path("payload"));
    }
  }

  @Test
  void theLiveStreamFromTheBeginningSendsAnOlderVersionInTheNewestShape() {
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      try (SseStream stream = SseStream.open(node.httpUrl(),
          "/events/stream?from=beginning&aggregateId=" + fixture.transferId(), null)) {
        JsonNode event = stream.events(1, WITHIN).get(0).json();

        assertThat(event.path("metadata").path("eventId").asText()).isEqualTo(fixture.eventId());
        assertThat(event.path("aggregateType").asText()).isEqualTo("transfer");
        assertNewestShape(event.path("payload"));
      }
    }
  }

  @Test
  void theTransferProjectionFoldsAnOlderVersion() {
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      HttpResponse<String> response = await().atMost(WITHIN)
          .until(() -> http.get("/transfers/" + fixture.transferId()), found -> found.statusCode() == 200);
      JsonNode transfer = json(response);

      assertThat(transfer.path("status").asText()).isEqualTo("REQUESTED");
      assertThat(transfer.path("from").asText()).isEqualTo(TransferEventFixtures.FROM);
      assertThat(transfer.path("to").asText()).isEqualTo(TransferEventFixtures.TO);
      assertThat(transfer.path("amountMinor").asLong()).isEqualTo(TransferEventFixtures.AMOUNT_MINOR);
      assertThat(transfer.path("currency").asText()).isEqualTo(TransferEventFixtures.CURRENCY);
      assertThat(transfer.path("version").asLong()).isEqualTo(1);
    }
  }

  @Test
  void theCorrelationIndexFilesAnOlderVersionWithTheNewestFields() {
    for (TransferEventFixtures fixture : TransferEventFixtures.all()) {
      HttpResponse<String> response = await().atMost(WITHIN)
          .until(() -> http.get("/correlations/" + fixture.correlationId()), found -> found.statusCode() == 200);
      JsonNode requested = null;
      for (JsonNode entry : json(response).path("entries")) {
        if (entry.path("id").asText().equals(fixture.eventId())) {
          requested = entry;
        }
      }

      assertThat(requested).as(response.body()).isNotNull();
      assertThat(requested.path("type").asText()).isEqualTo("TransferRequested");
      // the index keeps a nested record's value as its Avro text
      assertThat(requested.path("fields").path("amount").asText())
          .isEqualTo("{\"minor\": 2500, \"currency\": \"EUR\"}");
      assertThat(requested.path("fields").has("amountMinor")).isFalse();
    }
  }

  @Test
  void theTransferWorkerDebitsTheAmountOfAnOlderVersion() {
    Deserializer<AccountCommand> commands = new Topics(new RegistryRecordSerdes(REGISTRY, false)).accountCommands
        .valueSerde().deserializer();
    List<DebitForTransfer> debits = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealKafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "older-versions-" + UUID.randomUUID(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("ledger.account.internal-commands"));
      await().atMost(WITHIN).until(() -> {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (commands.deserialize(record.topic(), record.value()).getPayload() instanceof DebitForTransfer debit
              && debit.getTransferId().startsWith("T-fixture-")) {
            debits.add(debit);
          }
        }
        return debits.stream().map(DebitForTransfer::getTransferId).distinct().count()
            == TransferEventFixtures.all().size();
      });
    }

    assertThat(debits).allSatisfy(debit -> {
      assertThat(debit.getAmountMinor()).isEqualTo(TransferEventFixtures.AMOUNT_MINOR);
      assertThat(debit.getCurrency()).isEqualTo(TransferEventFixtures.CURRENCY);
      assertThat(debit.getCounterpartyAccountId()).isEqualTo(TransferEventFixtures.TO);
    });
  }

  private static void assertNewestShape(JsonNode payload) {
    assertThat(payload.path("type").asText()).isEqualTo("TransferRequested");
    assertThat(payload.path("from").asText()).isEqualTo(TransferEventFixtures.FROM);
    assertThat(payload.path("amount").path("minor").asLong()).isEqualTo(TransferEventFixtures.AMOUNT_MINOR);
    assertThat(payload.path("amount").path("currency").asText()).isEqualTo(TransferEventFixtures.CURRENCY);
    assertThat(payload.has("amountMinor")).isFalse();
    assertThat(payload.has("currency")).isFalse();
  }
}
