package io.ledgerstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.domain.account.AccountCommand.DepositMoney;
import io.ledgerstream.domain.account.AccountCommand.OpenAccount;
import io.ledgerstream.streams.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A command's time is the broker's, not the producer's: commands stamped days in the past or hours in the future are
 * processed at the ledger's time, and their retries are answered from memory, on a real broker.
 */
class CommandTimeBrokerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static LedgerNode node;
  private static KafkaProducer<String, AccountCommand> producer;

  @BeforeAll
  static void start() {
    node = TestNodes.start("command-time", 0);
    Map<String, Object> props = new HashMap<>(node.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    @SuppressWarnings("unchecked")
    Serializer<AccountCommand> values = (Serializer<AccountCommand>) (Serializer<?>) node.topics().accountCommands
        .valueSerde().serializer();
    producer = new KafkaProducer<>(props, new StringSerializer(), values);
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aCommandStampedDaysAgoIsProcessedNowAndItsRetryIsAnsweredFromMemory() throws Exception {
    assertStampedCommandIsProcessedNowAndRetriedOnce(Instant.now().minus(Duration.ofDays(3)));
  }

  @Test
  void aCommandStampedHoursAheadIsProcessedNowAndItsRetryIsAnsweredFromMemory() throws Exception {
    assertStampedCommandIsProcessedNowAndRetriedOnce(Instant.now().plus(Duration.ofHours(5)));
  }

  private static void assertStampedCommandIsProcessedNowAndRetriedOnce(Instant stamp) throws Exception {
    String account = "A-" + UUID.randomUUID().toString().substring(0, 8);
    AccountCommand open = command(new OpenAccount("alice", "EUR", 0, null));
    send(account, open, Instant.now());
    result(open);
    AccountCommand deposit = command(new DepositMoney(100, "EUR", "stamped", "test"));

    Instant before = Instant.now();
    send(account, deposit, stamp);
    JsonNode result = result(deposit);
    Instant processedAt = Instant.parse(result.path("processedAt").asText());
    send(account, deposit, stamp);
    send(account, command(new DepositMoney(1, "EUR", "after", "test")), Instant.now());

    assertThat(result.path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(processedAt).isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));
    JsonNode summary = awaitVersion(account, 3);
    assertThat(summary.path("balanceMinor").asLong()).as("the retry moved no money").isEqualTo(101);
  }

  private static AccountCommand command(Object payload) {
    return AccountType.BINDING.command(CommandFactory.metadata(null, null, null, "test"),
        (io.ledgerstream.domain.account.AccountCommand) payload);
  }

  private static void send(String account, AccountCommand command, Instant timestamp) throws Exception {
    producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS, null, timestamp.toEpochMilli(), account, command))
        .get();
  }

  private static JsonNode result(AccountCommand command) throws Exception {
    return get("/commands/" + command.getMetadata().getCommandId() + "?wait=20000");
  }

  private static JsonNode awaitVersion(String account, long version) throws Exception {
    return get("/accounts/" + account + "?minVersion=" + version + "&timeout=20000");
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
