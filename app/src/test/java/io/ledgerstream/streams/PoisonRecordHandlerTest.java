package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.registry.AvroSerdeException;
import io.ledgerstream.registry.RegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
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
