package io.ledgerstream.streams;

import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Makes the value serde of one Avro record type; the registry wiring lives behind it. */
public interface RecordSerdes {

  /**
   * A serde for values of the given type on the contract's topics that passes every record it reads through
   * {@code onRead} (an aggregate type's upcaster chain, say).
   */
  <T extends SpecificRecord> Serde<T> serde(Class<T> type, UnaryOperator<T> onRead);

  /** A serde for values of the given type on the contract's topics. */
  default <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
    return serde(type, UnaryOperator.identity());
  }

  /** A serde for values of the given type in this application's own state stores and changelogs. */
  default <T extends SpecificRecord> Serde<T> storeSerde(Class<T> type, UnaryOperator<T> onRead) {
    return serde(type, onRead);
  }

  /** {@link #storeSerde(Class, UnaryOperator)} that reads records as they are. */
  default <T extends SpecificRecord> Serde<T> storeSerde(Class<T> type) {
    return storeSerde(type, UnaryOperator.identity());
  }
}
