package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.streams.AccountBinding;
import io.ledgerstream.streams.RecordSerdes;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.TransferBinding;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The read side: folds the event logs into queryable views (account summary and history, accounts by owner,
 * transfer status, command results, totals and counters, the correlation index). It only reads the contract's
 * topics, so it can be rebuilt from the logs under a new application id without touching the command side.
 * Called by the app and by the tests alike.
 */
public final class ProjectionTopology {

  /** Names the internal topic {@code <application.id>-accounts-by-owner-repartition}, keyed by owner. */
  public static final String BY_OWNER_REPARTITION = "accounts-by-owner";
  /** Names the internal topic {@code <application.id>-correlations-repartition}, keyed by correlation id. */
  public static final String CORRELATION_REPARTITION = "correlations";

  private static final Serde<String> KEYS = Serdes.String();

  private ProjectionTopology() {
  }

  /** The contract topics the projections read. */
  public static List<String> inputTopics(Topics topics) {
    return List.of(topics.accountEvents.name(), topics.transferEvents.name(), topics.commandResults.name(),
        topics.accountCommands.name(), topics.transferCommands.name());
  }

  /** The repartition topics the projections write and read back, named after the application id like Kafka Streams. */
  public static List<String> repartitionTopics(String applicationId) {
    return List.of(applicationId + "-" + BY_OWNER_REPARTITION + "-repartition",
        applicationId + "-" + CORRELATION_REPARTITION + "-repartition");
  }

  public static Topology build(Topics topics, RecordSerdes storeSerdes) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<AccountState> accountStates = storeSerdes.storeSerde(AccountState.class);
    Serde<CorrelationEntry> entries = JsonSerde.of(CorrelationEntry.class);
    addStore(builder, ProjectionStores.ACCOUNT_SUMMARY, accountStates);
    addStore(builder, ProjectionStores.ACCOUNT_HISTORY, storeSerdes.storeSerde(AccountEvent.class));
    addStore(builder, ProjectionStores.ACCOUNTS_BY_OWNER, accountStates);
    addStore(builder, ProjectionStores.COMMAND_RESULTS, storeSerdes.storeSerde(CommandResult.class));
    addStore(builder, ProjectionStores.TRANSFER_STATUS, storeSerdes.storeSerde(TransferState.class));
    addStore(builder, ProjectionStores.TOTALS, JsonSerde.of(CurrencyTotals.class));
    addStore(builder, ProjectionStores.COUNTS, Serdes.Long());
    addStore(builder, ProjectionStores.CORRELATIONS, entries);

    KStream<String, AccountEvent> accountEvents = stream(builder, topics.accountEvents);
    KStream<String, TransferEvent> transferEvents = stream(builder, topics.transferEvents);
    KStream<String, CommandResult> results = stream(builder, topics.commandResults);
    KStream<String, AccountCommand> accountCommands = stream(builder, topics.accountCommands);
    KStream<String, TransferCommand> transferCommands = stream(builder, topics.transferCommands);

    accountEvents
        .process(AccountProjector::new, Named.as("account-projector"), ProjectionStores.ACCOUNT_SUMMARY,
            ProjectionStores.ACCOUNT_HISTORY, ProjectionStores.TOTALS, ProjectionStores.COUNTS)
        .repartition(Repartitioned.with(KEYS, accountStates).withName(BY_OWNER_REPARTITION))
        .process(OwnerIndexer::new, Named.as("owner-indexer"), ProjectionStores.ACCOUNTS_BY_OWNER);
    transferEvents.process(TransferProjector::new, Named.as("transfer-projector"), ProjectionStores.TRANSFER_STATUS,
        ProjectionStores.COUNTS);
    results.process(ResultProjector::new, Named.as("result-projector"), ProjectionStores.COMMAND_RESULTS,
        ProjectionStores.COUNTS);

    correlationEntries(accountCommands, "account-command-correlations", (accountId, command) ->
        CorrelationEntry.command(AccountBinding.TYPE, accountId, command.getMetadata(), command.getPayload()))
        .merge(correlationEntries(transferCommands, "transfer-command-correlations", (transferId, command) ->
            CorrelationEntry.command(TransferBinding.TYPE, transferId, command.getMetadata(), command.getPayload())),
            Named.as("merge-transfer-command-correlations"))
        .merge(correlationEntries(accountEvents, "account-event-correlations", (accountId, event) ->
            CorrelationEntry.event(AccountBinding.TYPE, event.getMetadata(), event.getPayload())),
            Named.as("merge-account-event-correlations"))
        .merge(correlationEntries(transferEvents, "transfer-event-correlations", (transferId, event) ->
            CorrelationEntry.event(TransferBinding.TYPE, event.getMetadata(), event.getPayload())),
            Named.as("merge-transfer-event-correlations"))
        .merge(correlationEntries(results, "result-correlations", (commandId, result) ->
            CorrelationEntry.result(result)), Named.as("merge-result-correlations"))
        .repartition(Repartitioned.with(KEYS, entries).withName(CORRELATION_REPARTITION))
        .process(CorrelationIndexer::new, Named.as("correlation-indexer"), ProjectionStores.CORRELATIONS);
    return builder.build();
  }

  /** Each record as a correlation entry keyed by its correlation id. */
  private static <V> KStream<String, CorrelationEntry> correlationEntries(KStream<String, V> records, String name,
                                      BiFunction<String, V, CorrelationEntry> entry) {
    return records.flatMap((key, value) -> {
      if (value == null) {
        return List.<KeyValue<String, CorrelationEntry>>of();
      }
      CorrelationEntry correlated = entry.apply(key, value);
      return List.of(KeyValue.pair(correlated.correlationId(), correlated));
    }, Named.as(name));
  }

  private static <V> KStream<String, V> stream(StreamsBuilder builder, Topic<String, V> topic) {
    return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(topic.name()));
  }

  /**
   * Cached, so a key written many times between two commits (a currency's totals, a counter, an account's summary)
   * reaches RocksDB and its changelog once per commit.
   */
  private static <V> void addStore(StreamsBuilder builder, String name, Serde<V> values) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), KEYS, values)
        .withCachingEnabled());
  }
}
