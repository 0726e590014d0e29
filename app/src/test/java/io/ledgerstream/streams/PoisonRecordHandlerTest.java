package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.CloseAccount;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.registry.AvroSerde;
import io.ledgerstream.registry.AvroSerdeException;
import io.ledgerstream.registry.HttpSchemaRegistryClient;
import io.ledgerstream.registry.RegistryUnavailableException;
import io.ledgerstream.registry.SchemaRegistryConfig;
import io.ledgerstream.registry.dev.DevSchemaRegistry;
import io.ledgerstream.registry.dev.InMemoryDevSchemaStore;
import io.ledgerstream.testing.RegistryOutage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Response;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.junit.jupiter.api.Test;

class PoisonRecordHandlerTest {

  private static final ConsumerRecord<byte[], byte[]> RECORD =
      new ConsumerRecord<>("ledger.account.commands", 3, 42L, bytes("A-1"), bytes("garbage"));

  private final PoisonRecordHandler handler = configured("ledger.dlq");

  @Test
  void deadLettersUndecodableBytesWithHeadersSayingWhereAndWhy() {
    Response response = handler.handleError(null, RECORD,
        new AvroSerdeException(AvroSerdeException.Reason.WRONG_MAGIC_BYTE, "Unknown magic byte 0x67"));

    assertThat(response.result()).isEqualTo(Result.RESUME);
    ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
    assertThat(letter.topic()).isEqualTo("ledger.dlq");
    assertThat(letter.key()).isEqualTo(RECORD.key());
    assertThat(letter.value()).isEqualTo(RECORD.value());
    assertThat(header(letter, PoisonRecordHandler.HEADER_TOPIC)).isEqualTo("ledger.account.commands");
    assertThat(header(letter, PoisonRecordHandler.HEADER_PARTITION)).isEqualTo("3");
    assertThat(header(letter, PoisonRecordHandler.HEADER_OFFSET)).isEqualTo("42");
    assertThat(header(letter, PoisonRecordHandler.HEADER_EXCEPTION)).isEqualTo(AvroSerdeException.class.getName());
    assertThat(header(letter, PoisonRecordHandler.HEADER_MESSAGE)).isEqualTo("Unknown magic byte 0x67");
    assertThat(header(letter, PoisonRecordHandler.HEADER_STACKTRACE)).contains("PoisonRecordHandlerTest");
  }

  @Test
  void deadLettersOversizedRecords() {
    Response response = handler.handleError(null, RECORD, new RecordTooLargeException("too big"));

    assertThat(response.result()).isEqualTo(Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).hasSize(1);
  }

  @Test
  void failsInsteadOfDiscardingWhenTheRegistryIsUnreachable() {
    Response response = handler.handleError(null, RECORD,
        new RegistryUnavailableException("GET http://localhost:8081/schemas/ids/1 failed: connection refused", null));

    assertThat(response.result()).isEqualTo(Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  @Test
  void skipsWithoutALetterWhenNoDeadLetterTopicIsConfigured() {
    Response response = configured(null).handleError(null, RECORD, new AvroSerdeException(
        AvroSerdeException.Reason.TRUNCATED, "3 bytes"));

    assertThat(response.result()).isEqualTo(Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  @Test
  void deadLettersACommandWhoseSchemaIdTheRegistrySaysItDoesNotHave() {
    try (RegistryBehindAProxy registry = new RegistryBehindAProxy()) {
      Exception failure = registry.decodeFailure(registry.commandWithSchemaId(4242));

      assertThat(failure).isInstanceOf(AvroSerdeException.class);
      Response response = handler.handleError(null, RECORD, failure);
      assertThat(response.result()).isEqualTo(Result.RESUME);
      assertThat(response.deadLetterQueueRecords()).hasSize(1);
    }
  }

  @Test
  void failsWithoutALetterWhenTheRegistryRefusesConnectionsAnswers503OrNeverAnswers() {
    try (RegistryBehindAProxy registry = new RegistryBehindAProxy()) {
      byte[] valid = registry.commandWithItsRegisteredSchema();
      for (RegistryOutage.Mode mode : List.of(RegistryOutage.Mode.REFUSE, RegistryOutage.Mode.UNAVAILABLE,
          RegistryOutage.Mode.SILENT)) {
        registry.proxy.set(mode);
        Exception failure = registry.decodeFailure(valid);

        assertThat(failure).as(mode.name()).isInstanceOf(RegistryUnavailableException.class);
        Response response = handler.handleError(null, RECORD, failure);
        assertThat(response.result()).as(mode.name()).isEqualTo(Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).as(mode.name()).isEmpty();
      }
      registry.proxy.set(RegistryOutage.Mode.PASS);
      assertThat(registry.reader.deserialize(Topics.ACCOUNT_COMMANDS, valid).getMetadata().getCommandId())
          .isEqualTo("valid-1");
    }
  }

  @Test
  void failsWithoutALetterWhenADeserializerWrapsAnUnreachableRegistry() {
    Response response = handler.handleError(null, RECORD, new SerializationException("cannot decode",
        new RegistryUnavailableException("GET /schemas/ids/7 -> HTTP 503", 503, 50301, null)));

    assertThat(response.result()).isEqualTo(Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  /** A development registry with a proxy in front, and a serde that reads through the proxy with nothing cached. */
  private static final class RegistryBehindAProxy implements AutoCloseable {

    final DevSchemaRegistry registry = DevSchemaRegistry.start(0, new InMemoryDevSchemaStore());
    final RegistryOutage proxy = RegistryOutage.inFrontOf(registry.url());
    final AvroSerde<AccountCommand> reader = new AvroSerde<>(AccountCommand.class, new HttpSchemaRegistryClient(Map.of(
        SchemaRegistryConfig.URL, proxy.url(), SchemaRegistryConfig.MAX_RETRIES, 0,
        SchemaRegistryConfig.READ_TIMEOUT_MS, 500, SchemaRegistryConfig.CONNECT_TIMEOUT_MS, 500)), false);

    byte[] commandWithItsRegisteredSchema() {
      AvroSerde<AccountCommand> writer = new AvroSerde<>(AccountCommand.class,
          HttpSchemaRegistryClient.forUrl(registry.url()), true);
      return writer.serialize(Topics.ACCOUNT_COMMANDS, command("valid-1"));
    }

    byte[] commandWithSchemaId(int id) {
      byte[] bytes = commandWithItsRegisteredSchema();
      ByteBuffer.wrap(bytes, 1, 4).putInt(id);
      return bytes;
    }

    Exception decodeFailure(byte[] bytes) {
      try {
        reader.deserialize(Topics.ACCOUNT_COMMANDS, bytes);
      } catch (Exception e) {
        return e;
      }
      throw new AssertionError("decoded although the registry could not tell the schema");
    }

    private static AccountCommand command(String commandId) {
      return new AccountCommand(CommandMetadata.newBuilder().setCommandId(commandId).setIssuedAt(Instant.EPOCH).build(),
          new CloseAccount("test"));
    }

    @Override
    public void close() {
      proxy.close();
      registry.close();
    }
  }

  private static PoisonRecordHandler configured(String topic) {
    PoisonRecordHandler handler = new PoisonRecordHandler();
    handler.configure(topic == null ? Map.of() : Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topic));
    return handler;
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
