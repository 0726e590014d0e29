package io.ledgerstream.streams;

import io.ledgerstream.Ledger;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the contract, with its serdes and policy: the topics of each registered aggregate type, the command
 * results and the dead letters. Topic names are spelled here and in {@link AggregateType} only.
 */
public final class Topics {

  public static final String COMMAND_RESULTS = "ledger.command-results";
  public static final String COMMAND_CLAIMS = "ledger.command-claims";
  public static final String DLQ = "ledger.dlq";

  /**
   * How long commands and their results are kept: the command side remembers a command id as long (a retry within it
   * gets its original result), and shadow replay can start no earlier.
   */
  public static final Duration COMMAND_RETENTION = Duration.parse(Topics.COMMAND_RETENTION_ISO);
  /** {@link #COMMAND_RETENTION} in ISO-8601, for command-line defaults. */
  public static final String COMMAND_RETENTION_ISO = "P7D";

  /** Stamped by the broker: a command's time, its events' occurredAt and its memory's window are the ledger's. */
  private static final TopicPolicy COMMANDS = TopicPolicy.delete(COMMAND_RETENTION).stampedByBroker();
  private static final TopicPolicy RESULTS = TopicPolicy.compactDelete(COMMAND_RETENTION);
  private static final TopicPolicy DEAD_LETTERS = TopicPolicy.delete(Duration.ofDays(30));

  public final Topic<String, CommandResult> commandResults;
  public final Topic<byte[], byte[]> dlq;
  /** Claim requests of public commands, keyed by command id: written and read by the command side only. */
  public final Topic<String, byte[]> commandClaims;
  private final List<AggregateTopics<?, ?, ?>> aggregates;

  /** The topics of the given aggregate types, in their order. */
  public Topics(RecordSerdes serdes, List<AggregateType<?, ?, ?>> types) {
    this(serdes, types, name -> name, name -> name);
  }

  private Topics(RecordSerdes serdes, List<AggregateType<?, ?, ?>> types, UnaryOperator<String> naming,
                 UnaryOperator<String> issuedNaming) {
    requireDistinct(types);
    List<AggregateTopics<?, ?, ?>> topics = new ArrayList<>();
    for (AggregateType<?, ?, ?> type : types) {
      topics.add(topicsOf(type, serdes, naming, issuedNaming));
    }
    aggregates = List.copyOf(topics);
    commandResults = new Topic<>(naming.apply(COMMAND_RESULTS), Serdes.String(), serdes.serde(CommandResult.class),
        RESULTS);
    dlq = new Topic<>(naming.apply(DLQ), Serdes.ByteArray(), Serdes.ByteArray(), DEAD_LETTERS);
    commandClaims = new Topic<>(naming.apply(COMMAND_CLAIMS), Serdes.String(), Serdes.ByteArray(), COMMANDS);
    AggregateTopics<AccountCommand, AccountEvent, AccountState> account = named("account", AccountCommand.class,
        AccountEvent.class, AccountState.class);
    AggregateTopics<TransferCommand, TransferEvent, TransferState> transfer = named("transfer", TransferCommand.class,
        TransferEvent.class, TransferState.class);
    accountCommands = account == null ? null : account.commands();
    accountEvents = account == null ? null : account.events();
    accountState = account == null ? null : account.state();
    transferCommands = transfer == null ? null : transfer.commands();
    transferEvents = transfer == null ? null : transfer.events();
    transferState = transfer == null ? null : transfer.state();
  }

  /**
   * The topics of a shadow replay: the command topics it reads keep the contract's names, since the replay reads the
   * recorded commands, and every topic the command side writes, the commands it issues included, is named
   * {@code prefix} + the contract's name, e.g. {@code shadow.ledger.account.events}.
   */
  public static Topics shadow(RecordSerdes serdes, List<AggregateType<?, ?, ?>> types, String prefix) {
    if (prefix == null || !prefix.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException("a topic prefix needs letters, digits, '.', '_' or '-', got '" + prefix + "'");
    }
    Set<String> read = new HashSet<>();
    types.forEach(type -> read.addAll(List.of(type.commandsTopic(), type.internalCommandsTopic())));
    return new Topics(serdes, types, name -> read.contains(name) ? name : prefix + name, name -> prefix + name);
  }

  /** Each aggregate type's topics, in the order of the types. */
  public List<AggregateTopics<?, ?, ?>> aggregates() {
    return aggregates;
  }

  /** The aggregate types these topics are of. */
  public List<AggregateType<?, ?, ?>> types() {
    return aggregates.stream().<AggregateType<?, ?, ?>>map(AggregateTopics::type).toList();
  }

  /** The topics of a registered type; throws {@link IllegalArgumentException} for one that is not. */
  @SuppressWarnings("unchecked")
  public <AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> AggregateTopics<AC, AE, AS>
      of(AggregateType<AC, AE, AS> type) {
    AggregateTopics<?, ?, ?> topics = of(type.name());
    if (topics.type() != type) {
      throw new IllegalArgumentException("another aggregate type is registered as " + type.name());
    }
    // the type is the very one these topics were made from, so their records are its records
    return (AggregateTopics<AC, AE, AS>) topics;
  }

  /** The topics of the type with this name; throws {@link IllegalArgumentException} for a name no type has. */
  public AggregateTopics<?, ?, ?> of(String typeName) {
    return aggregates.stream().filter(topics -> topics.type().name().equals(typeName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no aggregate type '" + typeName + "'; the types are "
            + types()));
  }

  /** Every topic, in the order they are created. */
  public List<Topic<?, ?>> all() {
    List<Topic<?, ?>> all = new ArrayList<>();
    aggregates.forEach(topics -> all.addAll(List.of(topics.commands(), topics.internalCommands(), topics.events(),
        topics.state())));
    all.add(commandResults);
    all.add(dlq);
    all.add(commandClaims);
    return List.copyOf(all);
  }

  /** The topics the command side writes: events, snapshots, results, dead letters and the commands it issues. */
  public List<Topic<?, ?>> commandSideOutputs() {
    List<Topic<?, ?>> outputs = new ArrayList<>();
    aggregates.forEach(topics -> outputs.addAll(List.of(topics.events(), topics.state())));
    outputs.add(commandResults);
    outputs.add(dlq);
    outputs.add(commandClaims);
    aggregates.forEach(topics -> outputs.add(topics.issuedCommands()));
    return List.copyOf(outputs);
  }

  /** The topics clients send commands to; every other topic is written by the application only. */
  public List<Topic<?, ?>> clientCommands() {
    return List.of(accountCommands, transferCommands);
  }

  /** The topics whose values are Avro, so their subjects must exist before the first record. */
  public List<Topic<?, ?>> avroTopics() {
    return all().stream().filter(topic -> topic != dlq && topic != commandClaims).toList();
  }

  /** Every event topic, in the order of the types. */
  public List<String> eventTopics() {
    return aggregates.stream().map(topics -> topics.events().name()).toList();
  }

  /** Every command topic the command side reads, public and internal, in the order of the types. */
  public List<String> commandTopics() {
    return aggregates.stream().flatMap(topics -> Stream.of(topics.commands().name(), topics.internalCommands().name()))
        .toList();
  }

  private static <AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord>
      AggregateTopics<AC, AE, AS> topicsOf(AggregateType<AC, AE, AS> type, RecordSerdes serdes,
                                           UnaryOperator<String> naming, UnaryOperator<String> issuedNaming) {
    Serde<String> keys = Serdes.String();
    Serde<AC> commandValues = serdes.serde(type.commandRecord());
    Topic<String, AC> commands = new Topic<>(naming.apply(type.commandsTopic()), keys, commandValues, COMMANDS);
    Topic<String, AC> internal = new Topic<>(naming.apply(type.internalCommandsTopic()), keys, commandValues,
        COMMANDS);
    Topic<String, AC> issued = issuedNaming.apply(type.internalCommandsTopic()).equals(internal.name()) ? internal
        : new Topic<>(issuedNaming.apply(type.internalCommandsTopic()), keys, commandValues, COMMANDS);
    return new AggregateTopics<>(type, commands, internal,
        new Topic<>(naming.apply(type.eventsTopic()), keys, serdes.serde(type.eventRecord(), type::upcast),
            TopicPolicy.RETAIN_FOREVER),
        new Topic<>(naming.apply(type.stateTopic()), keys, serdes.serde(type.stateRecord()), TopicPolicy.COMPACT),
        issued);
  }

  private static void requireDistinct(List<AggregateType<?, ?, ?>> types) {
    Set<String> names = new HashSet<>();
    Set<String> plurals = new HashSet<>();
    Set<String> tags = new HashSet<>();
    for (AggregateType<?, ?, ?> type : types) {
      if (!names.add(type.name()) || !plurals.add(type.plural()) || !tags.add(type.tag())) {
        throw new IllegalArgumentException("aggregate type " + type.name() + " shares its name, plural or tag with "
            + "another of " + types);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The ledger's two built-in types by name, for the benchmark and the tests written before types were registered.
  // Generic code never uses these: it iterates aggregates().

  public static final String ACCOUNT_COMMANDS = "ledger.account.commands";
  public static final String ACCOUNT_EVENTS = "ledger.account.events";
  public static final String ACCOUNT_STATE = "ledger.account.state";
  public static final String TRANSFER_COMMANDS = "ledger.transfer.commands";
  public static final String TRANSFER_EVENTS = "ledger.transfer.events";
  public static final String TRANSFER_STATE = "ledger.transfer.state";

  /** Null when the account type is not among these topics' types; likewise for the other five. */
  public final Topic<String, AccountCommand> accountCommands;
  public final Topic<String, AccountEvent> accountEvents;
  public final Topic<String, AccountState> accountState;
  public final Topic<String, TransferCommand> transferCommands;
  public final Topic<String, TransferEvent> transferEvents;
  public final Topic<String, TransferState> transferState;

  /** The topics of the ledger's registered aggregate types ({@link Ledger#AGGREGATE_TYPES}). */
  public Topics(RecordSerdes serdes) {
    this(serdes, Ledger.AGGREGATE_TYPES);
  }

  /** {@link #shadow(RecordSerdes, List, String)} of the ledger's registered aggregate types. */
  public static Topics shadow(RecordSerdes serdes, String prefix) {
    return shadow(serdes, Ledger.AGGREGATE_TYPES, prefix);
  }

  @SuppressWarnings("unchecked")
  private <AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> AggregateTopics<AC, AE, AS>
      named(String name, Class<AC> commands, Class<AE> events, Class<AS> state) {
    AggregateTopics<?, ?, ?> topics = aggregates.stream().filter(t -> t.type().name().equals(name)).findFirst()
        .orElse(null);
    if (topics == null) {
      return null;
    }
    AggregateType<?, ?, ?> type = topics.type();
    if (type.commandRecord() != commands || type.eventRecord() != events || type.stateRecord() != state) {
      throw new IllegalArgumentException("aggregate type " + name + " is registered with other records");
    }
    return (AggregateTopics<AC, AE, AS>) topics;
  }
}
