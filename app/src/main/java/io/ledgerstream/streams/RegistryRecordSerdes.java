package io.ledgerstream.streams;

import io.ledgerstream.registry.AvroSerde;
import io.ledgerstream.registry.SchemaRegistryClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Avro serdes backed by a schema registry. Contract topics register their schema only when told to (embedded
 * mode). The application's own changelogs and repartition topics always do, since no one else owns those subjects,
 * under the record's name rather than the topic's, so {@link #prepareStoreSchemas} can resolve them before the
 * streams start although their topic names are only made by Kafka Streams.
 */
public final class RegistryRecordSerdes implements RecordSerdes {

  private final SchemaRegistryClient client;
  private final boolean autoRegister;
  private final List<AvroSerde<?>> storeSerdes = new CopyOnWriteArrayList<>();

  public RegistryRecordSerdes(SchemaRegistryClient client, boolean autoRegister) {
    this.client = client;
    this.autoRegister = autoRegister;
  }

  public SchemaRegistryClient client() {
    return client;
  }

  public boolean autoRegister() {
    return autoRegister;
  }

  @Override
  public <T extends SpecificRecord> Serde<T> serde(Class<T> type, UnaryOperator<T> onRead) {
    return new AvroSerde<>(type, client, autoRegister, onRead);
  }

  @Override
  public <T extends SpecificRecord> Serde<T> storeSerde(Class<T> type, UnaryOperator<T> onRead) {
    AvroSerde<T> serde = AvroSerde.underRecordName(type, client, onRead);
    storeSerdes.add(serde);
    return serde;
  }

  /**
   * Registers the schema of every store serde handed out so far, so that no write to a changelog or repartition
   * topic needs the registry: call it once the topology is built and before it starts.
   */
  public void prepareStoreSchemas() {
    storeSerdes.forEach(serde -> serde.prepare(null));
  }
}
