package io.ledgerstream.streams.projection;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Where each partition of each store lives and a reader of it, as Kafka Streams last assigned them: asked of Kafka
 * Streams once per store after each rebalance and then read without locks, so a query finds its key's owner with a
 * hash instead of {@code queryMetadataForKey} (synchronised, copying sets) and a new store wrapper per request.
 *
 * <p>Every state change (a rebalance passes through REBALANCING) starts a new table. Until the streams application
 * runs, or when it was started before this could listen to it, every lookup asks Kafka Streams as before.
 */
final class PartitionRoutes {

  private final KafkaStreams streams;
  private final boolean listening;
  private volatile Map<String, StoreRoutes> table = new ConcurrentHashMap<>();

  PartitionRoutes(KafkaStreams streams) {
    this.streams = streams;
    this.listening = streams.state() == KafkaStreams.State.CREATED;
    if (listening) {
      streams.setStateListener((now, before) -> forget());
    }
  }

  /** Where {@code key}'s partition of {@code store} lives; {@link KeyQueryMetadata#NOT_AVAILABLE} while unknown. */
  KeyQueryMetadata metadata(String store, String key) {
    StoreRoutes routes = routes(store);
    return routes == null ? streams.queryMetadataForKey(store, key, Serdes.String().serializer())
        : routes.partitions[routes.partitionOf(key)];
  }

  /** A reader of one partition of the store, made once per table. */
  <V> ReadOnlyKeyValueStore<String, V> partition(String store, int partition, boolean allowStale) {
    StoreRoutes routes = routes(store);
    if (routes == null || partition >= routes.partitions.length) {
      return open(store, partition, allowStale);
    }
    @SuppressWarnings("unchecked")
    ReadOnlyKeyValueStore<String, V>[] readers = (ReadOnlyKeyValueStore<String, V>[]) (allowStale ? routes.stale
        : routes.active);
    ReadOnlyKeyValueStore<String, V> reader = readers[partition];
    if (reader == null) {
      reader = open(store, partition, allowStale);
      readers[partition] = reader;
    }
    return reader;
  }

  /** Drops the table: the next lookup asks Kafka Streams again (after a rebalance, or when a read found it moved). */
  void forget() {
    table = new ConcurrentHashMap<>();
  }

  private StoreRoutes routes(String store) {
    if (!listening || streams.state() != KafkaStreams.State.RUNNING) {
      return null;
    }
    return table.computeIfAbsent(store, this::ask);
  }

  private <V> ReadOnlyKeyValueStore<String, V> open(String store, int partition, boolean allowStale) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> query = StoreQueryParameters
        .fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
        .withPartition(partition);
    return streams.store(allowStale ? query.enableStaleStores() : query);
  }

  /** Every partition's hosts, asked of Kafka Streams once; null (not kept) while any is unknown. */
  private StoreRoutes ask(String store) {
    int[] count = {0};
    KeyQueryMetadata first = streams.queryMetadataForKey(store, "", (topic, key, value, partitions) -> {
      count[0] = partitions;
      return Optional.of(Set.of(0));
    });
    if (!isKnown(first) || count[0] <= 0) {
      return null;
    }
    KeyQueryMetadata[] partitions = new KeyQueryMetadata[count[0]];
    for (int p = 0; p < partitions.length; p++) {
      partitions[p] = streams.queryMetadataForKey(store, "", fixed(p));
      if (!isKnown(partitions[p])) {
        return null;
      }
    }
    return new StoreRoutes(partitions);
  }

  private static StreamPartitioner<String, Object> fixed(int partition) {
    return (topic, key, value, partitions) -> Optional.of(Set.of(partition));
  }

  private static boolean isKnown(KeyQueryMetadata metadata) {
    return metadata != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) && metadata.partition() >= 0;
  }

  /** One store's partitions: their hosts and, made on first use, their readers. */
  private static final class StoreRoutes {

    final KeyQueryMetadata[] partitions;
    final ReadOnlyKeyValueStore<?, ?>[] active;
    final ReadOnlyKeyValueStore<?, ?>[] stale;

    StoreRoutes(KeyQueryMetadata[] partitions) {
      this.partitions = partitions;
      this.active = new ReadOnlyKeyValueStore<?, ?>[partitions.length];
      this.stale = new ReadOnlyKeyValueStore<?, ?>[partitions.length];
    }

    /** The partition Kafka's default partitioner gives the key's UTF-8 bytes, as the logs' producers do. */
    int partitionOf(String key) {
      return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions.length;
    }
  }
}
