package io.ledgerstream.streams;

import io.ledgerstream.registry.AvroSerde;
import io.ledgerstream.registry.SchemaRegistryClient;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Avro serdes backed by a schema registry. Contract topics register their schema only when told to (embedded
 * mode); the application's own changelogs always do, since no one else owns those subjects.
 */
public record RegistryRecordSerdes(SchemaRegistryClient client, boolean autoRegister) implements RecordSerdes {

  @Override
  public <T extends SpecificRecord> Serde<T> serde(Class<T> type, UnaryOperator<T> onRead) {
    return new AvroSerde<>(type, client, autoRegister, onRead);
  }

  @Override
  public <T extends SpecificRecord> Serde<T> storeSerde(Class<T> type, UnaryOperator<T> onRead) {
    return new AvroSerde<>(type, client, true, onRead);
  }
}
