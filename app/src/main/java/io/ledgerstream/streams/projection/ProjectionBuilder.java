package io.ledgerstream.streams.projection;

import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.RecordSerdes;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.state.Stores;

/**
 * What a {@link ProjectionHook} builds with: the event stream of any registered type (each topic has one source in
 * the topology, shared by every view), the generic stores such as {@link ProjectionStores#COUNTS}, and its own stores.
 */
public final class ProjectionBuilder {

  private final StreamsBuilder builder;
  private final RecordSerdes storeSerdes;
  private final Map<String, KStream<String, ? extends SpecificRecord>> events;

  ProjectionBuilder(StreamsBuilder builder, RecordSerdes storeSerdes,
                    Map<String, KStream<String, ? extends SpecificRecord>> events) {
    this.builder = builder;
    this.storeSerdes = storeSerdes;
    this.events = events;
  }

  /** The events of a registered type, keyed by aggregate id. */
  @SuppressWarnings("unchecked")
  public <AE extends SpecificRecord> KStream<String, AE> events(AggregateType<?, AE, ?> type) {
    KStream<String, ? extends SpecificRecord> stream = events.get(type.name());
    if (stream == null) {
      throw new IllegalArgumentException("aggregate type " + type.name() + " is not registered");
    }
    // the stream was made from this type's own events topic, so its values are this type's events
    return (KStream<String, AE>) stream;
  }

  /**
   * A persistent key-value store with string keys, cached, so a key written many times between two commits (a
   * currency's totals, a counter, an account's summary) reaches RocksDB and its changelog once per commit.
   */
  public <V> void addStore(String name, Serde<V> values) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
        .withCachingEnabled());
  }

  /**
   * A persistent key-value store with string keys for keys written once (an event's place in a history, an index
   * entry), without a cache: caching them saves no write and only churns the cache the hot keys need.
   */
  public <V> void addWriteOnceStore(String name, Serde<V> values) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
        .withCachingDisabled());
  }

  /** The serde of an Avro record in this application's stores and changelogs. */
  public <T extends SpecificRecord> Serde<T> storeSerde(Class<T> type) {
    return storeSerdes.storeSerde(type);
  }

  /** The serde of an aggregate type's events in this application's stores: what it reads goes through the upcasters. */
  public <AE extends SpecificRecord> Serde<AE> eventStoreSerde(AggregateType<?, AE, ?> type) {
    return storeSerdes.storeSerde(type.eventRecord(), type::upcast);
  }
}
