package io.ledgerstream.faults;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/** A record as bytes on a topic, compared by content: how the verifier matches what was sent with what it finds. */
public record RawRecord(String topic, Bytes key, Bytes value) {

  public static RawRecord of(String topic, String key, byte[] value) {
    return new RawRecord(topic, Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), Bytes.wrap(value));
  }

  public String keyText() {
    return key == null ? null : new String(key.get(), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return topic + "/" + keyText() + " (" + (value == null ? "no" : value.get().length) + " bytes)";
  }
}
