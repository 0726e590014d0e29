package io.ledgerstream.streams;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/** Kafka Streams settings shared by the project's applications. */
public final class StreamsSettings {

  public static final String COMMAND_SIDE_APPLICATION_ID = "ledgerstream-commands";
  public static final String PROJECTIONS_APPLICATION_ID = "ledgerstream-projections";

  private StreamsSettings() {
  }

  /**
   * Exactly-once settings where poison records go to the dead-letter topic and processing goes on.
   *
   * @param clientProperties bootstrap servers and any client property (SASL, TLS) from the user's configuration
   */
  public static Properties exactlyOnce(String applicationId, Map<String, ?> clientProperties, Path stateDir) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonRecordHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    return props;
  }

  /**
   * Exactly-once settings for the projections: poison records are logged and skipped but never dead-lettered,
   * since the command side already dead-letters what it cannot read and a second copy would confuse operators.
   *
   * @param applicationId {@link #PROJECTIONS_APPLICATION_ID}, or another id to rebuild the projections beside it
   */
  public static Properties projections(String applicationId, Map<String, ?> clientProperties, Path stateDir) {
    Properties props = exactlyOnce(applicationId, clientProperties, stateDir);
    props.remove(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    return props;
  }
}
