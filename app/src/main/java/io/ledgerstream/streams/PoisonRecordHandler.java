package io.ledgerstream.streams;

import io.ledgerstream.registry.InvalidSchemaException;
import io.ledgerstream.registry.RegistryUnavailableException;
import io.ledgerstream.registry.SchemaNotFoundException;
import io.ledgerstream.registry.SchemaRegistryException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that can never be decoded to the dead-letter topic and carries on; anything else fails the task, so
 * the record is retried by a replacement thread instead of being discarded. Dead letters carry the headers of Kafka
 * Streams' own dead-letter support (KIP-1034).
 *
 * <p>What can never be decoded is told apart from a registry that cannot answer for now: a schema id the registry
 * says it does not have (its 404, error 40403), or one naming no Avro schema, is poison; a registry that is
 * unreachable, times out or answers with a server error ({@link RegistryUnavailableException}), or answers anything
 * else this client does not understand (another {@link SchemaRegistryException}), fails the task and never
 * dead-letters a valid command.
 */
public final class PoisonRecordHandler implements DeserializationExceptionHandler {

  public static final String HEADER_EXCEPTION = "__streams.errors.exception";
  public static final String HEADER_STACKTRACE = "__streams.errors.stacktrace";
  public static final String HEADER_MESSAGE = "__streams.errors.message";
  public static final String HEADER_TOPIC = "__streams.errors.topic";
  public static final String HEADER_PARTITION = "__streams.errors.partition";
  public static final String HEADER_OFFSET = "__streams.errors.offset";

  private static final Logger log = LoggerFactory.getLogger(PoisonRecordHandler.class);

  private String deadLetterTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    deadLetterTopic = topic == null ? null : topic.toString();
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (!isPoison(exception)) {
      log.warn("Cannot decode {}-{}@{} for now, will retry: {}", record.topic(), record.partition(), record.offset(),
          exception.toString());
      return Response.fail();
    }
    if (deadLetterTopic == null) {
      log.warn("Skipping undecodable {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
          exception.getMessage());
      return Response.resume();
    }
    log.warn("Dead-lettering {}-{}@{} to {}: {}", record.topic(), record.partition(), record.offset(), deadLetterTopic,
        exception.getMessage());
    return Response.resume(List.of(deadLetter(deadLetterTopic, record, exception)));
  }

  private static boolean isPoison(Exception exception) {
    return (exception instanceof SerializationException || exception instanceof RecordTooLargeException)
        && !causedByTheRegistry(exception);
  }

  /**
   * Whether a registry failure lies beneath, wrapped by whichever deserializer, other than the two that name the
   * record's own schema id: no schema has it, or the schema it names is no Avro schema.
   */
  private static boolean causedByTheRegistry(Throwable exception) {
    for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
      if (cause instanceof SchemaRegistryException && !(cause instanceof SchemaNotFoundException)
          && !(cause instanceof InvalidSchemaException)) {
        return true;
      }
    }
    return false;
  }

  static ProducerRecord<byte[], byte[]> deadLetter(String topic, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(HEADER_EXCEPTION, utf8(exception.getClass().getName()));
    headers.add(HEADER_MESSAGE, utf8(String.valueOf(exception.getMessage())));
    headers.add(HEADER_STACKTRACE, utf8(stackTrace(exception)));
    headers.add(HEADER_TOPIC, utf8(record.topic()));
    headers.add(HEADER_PARTITION, utf8(Integer.toString(record.partition())));
    headers.add(HEADER_OFFSET, utf8(Long.toString(record.offset())));
    return new ProducerRecord<>(topic, null, record.key(), record.value(), headers);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String stackTrace(Exception exception) {
    StringWriter out = new StringWriter();
    exception.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
