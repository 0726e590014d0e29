package io.ledgerstream.streams;

import java.util.Map;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Refuses values above a size limit, and the missing value of a tombstone, before decoding them, so an oversized or
 * empty command goes to the dead-letter topic rather than into a processor that could only fail on it.
 */
final class MaxSizeDeserializer<T> implements Deserializer<T> {

  private final Deserializer<T> inner;
  private final int maxBytes;

  MaxSizeDeserializer(Deserializer<T> inner, int maxBytes) {
    this.inner = inner;
    this.maxBytes = maxBytes;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    check(topic, data);
    return inner.deserialize(topic, data);
  }

  @Override
  public T deserialize(String topic, Headers headers, byte[] data) {
    check(topic, data);
    return inner.deserialize(topic, headers, data);
  }

  private void check(String topic, byte[] data) {
    if (data == null) {
      throw new SerializationException("a record without a value on " + topic + ": a command needs one");
    }
    if (data.length > maxBytes) {
      throw new RecordTooLargeException("value of " + data.length + " bytes on " + topic
          + " exceeds the limit of " + maxBytes + " bytes");
    }
  }

  @Override
  public void close() {
    inner.close();
  }
}
