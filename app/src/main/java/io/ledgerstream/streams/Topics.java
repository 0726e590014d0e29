package io.ledgerstream.streams;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic of the contract, with its serdes and policy: the one place topic names are spelled. */
public final class Topics {

  public static final String ACCOUNT_COMMANDS = "ledger.account.commands";
  public static final String ACCOUNT_EVENTS = "ledger.account.events";
  public static final String ACCOUNT_STATE = "ledger.account.state";
  public static final String TRANSFER_COMMANDS = "ledger.transfer.commands";
  public static final String TRANSFER_EVENTS = "ledger.transfer.events";
  public static final String TRANSFER_STATE = "ledger.transfer.state";
  public static final String COMMAND_RESULTS = "ledger.command-results";
  public static final String DLQ = "ledger.dlq";

  private static final TopicPolicy COMMANDS = TopicPolicy.delete(Duration.ofDays(7));
  private static final TopicPolicy RESULTS = TopicPolicy.compactDelete(Duration.ofDays(7));
  private static final TopicPolicy DEAD_LETTERS = TopicPolicy.delete(Duration.ofDays(30));

  public final Topic<String, AccountCommand> accountCommands;
  public final Topic<String, AccountEvent> accountEvents;
  public final Topic<String, AccountState> accountState;
  public final Topic<String, TransferCommand> transferCommands;
  public final Topic<String, TransferEvent> transferEvents;
  public final Topic<String, TransferState> transferState;
  public final Topic<String, CommandResult> commandResults;
  public final Topic<byte[], byte[]> dlq;
  /**
   * Where the command side sends the commands it issues itself (the transfer worker's): the command topics, except
   * in a {@link #shadow} replay, where they go to prefixed topics so that a replay never sends production a command.
   */
  public final Topic<String, AccountCommand> issuedAccountCommands;
  public final Topic<String, TransferCommand> issuedTransferCommands;

  public Topics(RecordSerdes serdes) {
    this(serdes, name -> name, name -> name);
  }

  private Topics(RecordSerdes serdes, UnaryOperator<String> naming, UnaryOperator<String> issuedNaming) {
    Serde<String> keys = Serdes.String();
    accountCommands = new Topic<>(naming.apply(ACCOUNT_COMMANDS), keys, serdes.serde(AccountCommand.class), COMMANDS);
    accountEvents = new Topic<>(naming.apply(ACCOUNT_EVENTS), keys, serdes.serde(AccountEvent.class),
        TopicPolicy.RETAIN_FOREVER);
    accountState = new Topic<>(naming.apply(ACCOUNT_STATE), keys, serdes.serde(AccountState.class),
        TopicPolicy.COMPACT);
    transferCommands = new Topic<>(naming.apply(TRANSFER_COMMANDS), keys, serdes.serde(TransferCommand.class),
        COMMANDS);
    transferEvents = new Topic<>(naming.apply(TRANSFER_EVENTS), keys, serdes.serde(TransferEvent.class),
        TopicPolicy.RETAIN_FOREVER);
    transferState = new Topic<>(naming.apply(TRANSFER_STATE), keys, serdes.serde(TransferState.class),
        TopicPolicy.COMPACT);
    commandResults = new Topic<>(naming.apply(COMMAND_RESULTS), keys, serdes.serde(CommandResult.class), RESULTS);
    dlq = new Topic<>(naming.apply(DLQ), Serdes.ByteArray(), Serdes.ByteArray(), DEAD_LETTERS);
    issuedAccountCommands = issuedNaming.apply(ACCOUNT_COMMANDS).equals(accountCommands.name()) ? accountCommands
        : new Topic<>(issuedNaming.apply(ACCOUNT_COMMANDS), keys, accountCommands.valueSerde(), COMMANDS);
    issuedTransferCommands = issuedNaming.apply(TRANSFER_COMMANDS).equals(transferCommands.name()) ? transferCommands
        : new Topic<>(issuedNaming.apply(TRANSFER_COMMANDS), keys, transferCommands.valueSerde(), COMMANDS);
  }

  /**
   * The topics of a shadow replay: the command topics it reads keep the contract's names, since the replay reads the
   * recorded commands, and every topic the command side writes, the commands it issues included, is named
   * {@code prefix} + the contract's name, e.g. {@code shadow.ledger.account.events}.
   */
  public static Topics shadow(RecordSerdes serdes, String prefix) {
    if (prefix == null || !prefix.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException("a topic prefix needs letters, digits, '.', '_' or '-', got '" + prefix + "'");
    }
    return new Topics(serdes, name -> name.equals(ACCOUNT_COMMANDS) || name.equals(TRANSFER_COMMANDS)
        ? name : prefix + name, name -> prefix + name);
  }

  /** Every topic, in the order they are created. */
  public List<Topic<?, ?>> all() {
    return List.of(accountCommands, accountEvents, accountState, transferCommands, transferEvents, transferState,
        commandResults, dlq);
  }

  /** The topics the command side writes: events, snapshots, results, dead letters and the commands it issues. */
  public List<Topic<?, ?>> commandSideOutputs() {
    return List.of(accountEvents, accountState, transferEvents, transferState, commandResults, dlq,
        issuedAccountCommands, issuedTransferCommands);
  }

  /** The topics clients send commands to; every other topic is written by the application only. */
  public List<Topic<?, ?>> clientCommands() {
    return List.of(accountCommands, transferCommands);
  }

  /** The topics whose values are Avro, so their subjects must exist before the first record. */
  public List<Topic<?, ?>> avroTopics() {
    return all().stream().filter(topic -> topic != dlq).toList();
  }
}
