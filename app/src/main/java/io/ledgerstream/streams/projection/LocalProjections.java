package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.streams.ClaimStage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BinaryOperator;
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
 * {@link IllegalStateException} does. The {@code local} reads cover every partition active here: this instance's part
 * of a view that every instance holds a part of.
 */
public final class LocalProjections {

  private final KafkaStreams streams;
  private final PartitionRoutes routes;

  /** Made before {@code streams} starts, it keeps a routing table current through the streams' state changes. */
  public LocalProjections(KafkaStreams streams) {
    this.streams = streams;
    this.routes = new PartitionRoutes(streams);
  }

  /** The value of {@code key} in a store partitioned by that key. */
  public <V> Optional<V> get(String storeName, String key, boolean allowStale) {
    return Optional.ofNullable(this.<V>partitionOf(storeName, key, allowStale).get(key));
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

  /**
   * The result of the very command written at {@code source} under {@code commandId}: the claimed command's result
   * if it names that source, else the claim stage's refusal of it, which is filed in the same partition.
   */
  public Optional<CommandResult> commandResult(String commandId, String source, boolean allowStale) {
    ReadOnlyKeyValueStore<String, CommandResult> results =
        partitionOf(ProjectionStores.COMMAND_RESULTS, commandId, allowStale);
    CommandResult claimed = results.get(commandId);
    if (claimed != null && source.equals(claimed.getSource())) {
      return Optional.of(claimed);
    }
    return Optional.ofNullable(results.get(ClaimStage.refusalKey(commandId, source)));
  }

  /**
   * The commands, events and results of the correlation filed in the partitions active here, in no order: each is
   * indexed in its own record's partition, so the whole correlation is every instance's part.
   */
  public List<CorrelationEntry> localCorrelation(String correlationId) {
    return localWithPrefix(ProjectionStores.CORRELATIONS, correlationId);
  }

  /** The values under {@code id} in a store of {@link ProjectionStores#compositeKey}s, over the partitions active here. */
  public <V> List<V> localWithPrefix(String storeName, String id) {
    return ProjectionQueries.valuesWithPrefix(allActive(storeName), id);
  }

  /** The value of {@code key} in whichever partition active here holds it. */
  public <V> Optional<V> localGet(String storeName, String key) {
    return Optional.ofNullable(this.<V>allActive(storeName).get(key));
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
    return routes.metadata(storeName, key);
  }

  /** Forgets where the stores' partitions were: a read found one moved, so the next lookup asks Kafka Streams. */
  public void forgetRoutes() {
    routes.forget();
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
    return routes.partition(storeName, metadata.partition(), allowStale);
  }

  private <V> ReadOnlyKeyValueStore<String, V> allActive(String storeName) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore()));
  }
}
