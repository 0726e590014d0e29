package io.ledgerstream.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a command's key, the aggregate id, and refuses a record without one, so it goes to the dead-letter topic
 * rather than into a processor that could only fail on it.
 */
final class AggregateIdDeserializer implements Deserializer<String> {

  @Override
  public String deserialize(String topic, byte[] data) {
    if (data == null) {
      throw new SerializationException("a record without a key on " + topic + ": a command needs its aggregate id");
    }
    return new String(data, StandardCharsets.UTF_8);
  }
}
