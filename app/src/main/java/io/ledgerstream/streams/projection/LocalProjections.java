package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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

  public Optional<AccountState> accountSummary(String accountId, boolean allowStale) {
    return Optional.ofNullable(this.<AccountState>partitionOf(ProjectionStores.ACCOUNT_SUMMARY, accountId, allowStale)
        .get(accountId));
  }

  /** Up to {@code limit} events from {@code fromVersion} (inclusive), oldest first. */
  public List<AccountEvent> accountHistory(String accountId, long fromVersion, int limit, boolean allowStale) {
    return ProjectionQueries.history(partitionOf(ProjectionStores.ACCOUNT_HISTORY, accountId, allowStale), accountId,
        fromVersion, limit);
  }

  /** The owner's accounts ordered by account id; the owner, not an account, names the partition. */
  public List<AccountState> accountsOfOwner(String owner, boolean allowStale) {
    return ProjectionQueries.accountsOfOwner(partitionOf(ProjectionStores.ACCOUNTS_BY_OWNER, owner, allowStale), owner);
  }

  public Optional<CommandResult> commandResult(String commandId, boolean allowStale) {
    return Optional.ofNullable(this.<CommandResult>partitionOf(ProjectionStores.COMMAND_RESULTS, commandId, allowStale)
        .get(commandId));
  }

  public Optional<TransferState> transfer(String transferId, boolean allowStale) {
    return Optional.ofNullable(this.<TransferState>partitionOf(ProjectionStores.TRANSFER_STATUS, transferId, allowStale)
        .get(transferId));
  }

  /** Every command, event and result of the correlation, in causal order. */
  public List<CorrelationEntry> correlation(String correlationId, boolean allowStale) {
    return ProjectionQueries.correlation(partitionOf(ProjectionStores.CORRELATIONS, correlationId, allowStale),
        correlationId);
  }

  /** Totals per currency over the partitions active here; the sum over all instances is the ledger's. */
  public Map<String, CurrencyTotals> localTotals() {
    return ProjectionQueries.totals(allActive(ProjectionStores.TOTALS));
  }

  /** {@link Counters} over the partitions active here; the sum over all instances is the ledger's. */
  public Map<String, Long> localCounts() {
    return ProjectionQueries.counts(allActive(ProjectionStores.COUNTS));
  }

  /**
   * Where the store's partition for {@code key} lives. The key is what the store is partitioned by: the accountId
   * for the summary and history, the owner for accounts by owner, the commandId for results, the transferId for
   * transfers, the correlationId for correlations. {@link KeyQueryMetadata#NOT_AVAILABLE} while rebalancing.
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
