package io.ledgerstream.transfer.worker;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.streams.AggregateTopics;
import io.ledgerstream.streams.CommandIds;
import io.ledgerstream.streams.CommandSideHook;
import io.ledgerstream.streams.CommandSideSettingsHook;
import io.ledgerstream.streams.RecordSerdes;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferType;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The transfer process manager, part of the command side: it reads the transfers' requests and the results of its own
 * commands (accepted with their events, or rejected), brings all of one transfer to one processor by transferId, and
 * sends the next command of the transfer to the accounts or to the transfer itself. It reads no account event: the
 * results say all it needs.
 *
 * <p>Its commands carry the request's correlation id, the id of the event that caused them (or of the rejected
 * command, since a result is not an event) and a command id made from the transfer and the step, so a replay or a
 * re-send after a step's deadline sends identical commands and the command side's memory answers them with their
 * original results. They go to the internal command topics, which only the application writes, so no client can send
 * them.
 */
public final class TransferWorkerTopology implements CommandSideHook, CommandSideSettingsHook {

  /** The store of {@link TransferProcess.Progress} by transferId, encoded by {@link ProgressSerde}. */
  public static final String STORE = "transfer-worker";
  /** The store of each unfinished transfer's deadline (epoch millis, wall clock) by transferId. */
  public static final String DEADLINES_STORE = "transfer-worker-deadlines";
  /** Names the internal topic {@code <application.id>-transfer-worker-results-repartition}, keyed by transferId. */
  public static final String RESULTS_REPARTITION = "transfer-worker-results";
  /** The {@code issuedBy} of every command the worker sends. */
  public static final String ISSUED_BY = "transfer-worker";
  /**
   * Header naming the transfer on every command the worker sends; the command side copies an internal command's
   * headers onto its result, which is how the worker finds the transfer a result belongs to.
   */
  public static final String TRANSFER_ID_HEADER = "ledger.transfer-id";

  private static final Serde<String> KEYS = Serdes.String();

  @Override
  public CommandSideSettingsHook.Options newOptions() {
    return new TransferDeadlineOptions();
  }

  @Override
  public void addTo(StreamsBuilder builder, Topics topics, RecordSerdes storeSerdes) {
    AggregateTopics<AccountCommand, AccountEvent, AccountState> accounts = topics.of(AccountType.TYPE);
    AggregateTopics<TransferCommand, TransferEvent, TransferState> transfers = topics.of(TransferType.TYPE);
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), KEYS,
        new ProgressSerde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES_STORE), KEYS,
        Serdes.Long()));

    KStream<String, Trigger> requests = builder
        .stream(transfers.events().name(), Consumed.with(KEYS, transfers.events().valueSerde())
            .withName("transfer-worker-transfer-events"))
        .flatMapValues(Trigger::of, Named.as("transfer-worker-requests"));

    KStream<String, Trigger> outcomes = builder
        .stream(topics.commandResults.name(), Consumed.with(KEYS, topics.commandResults.valueSerde())
            .withName("transfer-worker-command-results"))
        .process(WorkerResults::new, Named.as("transfer-worker-results-by-transfer"))
        .repartition(Repartitioned.with(KEYS, storeSerdes.storeSerde(CommandResult.class))
            .withName(RESULTS_REPARTITION))
        .flatMapValues(Trigger::ofResult, Named.as("transfer-worker-outcomes"));

    KStream<String, SpecificRecord> commands = requests
        .merge(outcomes, Named.as("transfer-worker-merge-outcomes"))
        .process(TransferWorker::new, Named.as("transfer-worker"), STORE, DEADLINES_STORE);
    // one fixed sink per topic rather than a topic-name extractor, so the topology shows everywhere it writes
    commands
        .filter((key, command) -> command instanceof AccountCommand, Named.as("transfer-worker-account-commands-only"))
        .mapValues(command -> (AccountCommand) command, Named.as("transfer-worker-as-account-commands"))
        .to(accounts.issuedCommands().name(), Produced.with(KEYS, accounts.issuedCommands().valueSerde())
            .withName("transfer-worker-account-commands"));
    commands
        .filter((key, command) -> command instanceof TransferCommand, Named.as("transfer-worker-transfer-commands-only"))
        .mapValues(command -> (TransferCommand) command, Named.as("transfer-worker-as-transfer-commands"))
        .to(transfers.issuedCommands().name(), Produced.with(KEYS, transfers.issuedCommands().valueSerde())
            .withName("transfer-worker-transfer-commands"));
  }

  /**
   * The id of the command the worker sends to a transfer at a step: the same on every replay. Stored in the command
   * memory and in every result: never change how it is made.
   */
  public static String commandId(String transferId, TransferProcess.Step step) {
    String name = "transfer-worker/" + transferId + "/" + step.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return CommandIds.derived(name);
  }
}
