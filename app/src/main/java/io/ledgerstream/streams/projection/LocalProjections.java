package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.CommandResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BinaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the projections held by this instance only; the HTTP layer finds which instance owns a key with
 * {@link #metadata} and forwards the read there.
 *
 * <p>A single-key read opens just the key's partition, active only or, with {@code allowStale}, a standby too.
 * While that partition is restoring, migrating or not hosted here, Kafka Streams' {@link InvalidStateStoreException}
 * propagates so the caller can retry or forward; once the streams application stopped, its
 * {@link IllegalStateException} does.
 */
public final class LocalProjections {

  private final KafkaStreams streams;

  public LocalProjections(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The value of {@code key} in a store partitioned by that key. */
  public <V> Optional<V> get(String storeName, String key, boolean allowStale) {
    return Optional.ofNullable(this.<V>partitionOf(storeName, key, allowStale).get(key));
  }

  /** The values under {@code id} in a store of {@link ProjectionStores#compositeKey}s partitioned by {@code id}. */
  public <V> List<V> withPrefix(String storeName, String id, boolean allowStale) {
    return ProjectionQueries.valuesWithPrefix(partitionOf(storeName, id, allowStale), id);
  }

  /** One page of {@link ProjectionQueries#page} in a store partitioned by {@code id}. */
  public <V> List<V> page(String storeName, String id, String after, int limit, boolean allowStale) {
    return ProjectionQueries.page(partitionOf(storeName, id, allowStale), id, after, limit);
  }

  /** Up to {@code limit} events of an aggregate from {@code fromVersion} (inclusive), oldest first. */
  public <E> List<E> history(String aggregateType, String aggregateId, long fromVersion, int limit,
                             boolean allowStale) {
    return ProjectionQueries.history(partitionOf(ProjectionStores.history(aggregateType), aggregateId, allowStale),
        aggregateId, fromVersion, limit);
  }

  public Optional<CommandResult> commandResult(String commandId, boolean allowStale) {
    return get(ProjectionStores.COMMAND_RESULTS, commandId, allowStale);
  }

  /** Every command, event and result of the correlation, in causal order. */
  public List<CorrelationEntry> correlation(String correlationId, boolean allowStale) {
    return ProjectionQueries.correlation(partitionOf(ProjectionStores.CORRELATIONS, correlationId, allowStale),
        correlationId);
  }

  /** {@link Counters} over the partitions active here; the sum over all instances is the ledger's. */
  public Map<String, Long> localCounts() {
    return localSum(ProjectionStores.COUNTS, Long::sum);
  }

  /** A store's values merged by key over the partitions active here; the sum over all instances is the ledger's. */
  public <V> Map<String, V> localSum(String storeName, BinaryOperator<V> plus) {
    return ProjectionQueries.sum(allActive(storeName), plus);
  }

  /**
   * Where the store's partition for {@code key} lives. The key is what the store is partitioned by: the aggregate id
   * for a history, the commandId for results, the correlationId for correlations, and so on.
   * {@link KeyQueryMetadata#NOT_AVAILABLE} while rebalancing.
   */
  public KeyQueryMetadata metadata(String storeName, String key) {
    return streams.queryMetadataForKey(storeName, key, Serdes.String().serializer());
  }

  /** How many records this instance's copy of the store's partition is behind, if it holds one. */
  public OptionalLong lagOf(String storeName, int partition) {
    LagInfo lag = streams.allLocalStorePartitionLags().getOrDefault(storeName, Map.of()).get(partition);
    return lag == null ? OptionalLong.empty() : OptionalLong.of(lag.offsetLag());
  }

  private <V> ReadOnlyKeyValueStore<String, V> partitionOf(String storeName, String key, boolean allowStale) {
    KeyQueryMetadata metadata = metadata(storeName, key);
    if (metadata == null || metadata.partition() < 0) {
      throw new InvalidStateStoreException("the partition of " + key + " in " + storeName + " is not known yet");
    }
    StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> query = StoreQueryParameters
        .fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore())
        .withPartition(metadata.partition());
    return streams.store(allowStale ? query.enableStaleStores() : query);
  }

  private <V> ReadOnlyKeyValueStore<String, V> allActive(String storeName) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore()));
  }
}
