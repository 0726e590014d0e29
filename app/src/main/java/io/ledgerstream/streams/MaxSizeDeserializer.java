package io.ledgerstream.streams;

import java.util.Map;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Refuses a command value above a size limit, or none at all, before decoding it, so an oversized command or a tombstone
 * goes to the dead-letter topic.
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
      throw new SerializationException("a command on " + topic + " needs a value");
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
