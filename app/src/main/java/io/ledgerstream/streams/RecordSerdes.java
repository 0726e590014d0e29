package io.ledgerstream.streams;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Makes the value serde of one Avro record type; the registry wiring lives behind it. */
public interface RecordSerdes {

  /** A serde for values of the given type on the contract's topics. */
  <T extends SpecificRecord> Serde<T> serde(Class<T> type);

  /** A serde for values of the given type in this application's own state stores and changelogs. */
  default <T extends SpecificRecord> Serde<T> storeSerde(Class<T> type) {
    return serde(type);
  }
}
