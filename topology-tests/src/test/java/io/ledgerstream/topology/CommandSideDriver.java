package io.ledgerstream.topology;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.ClaimStage;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferType;
import io.ledgerstream.transfer.worker.TransferDeadlines;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production command-side topology, transfer worker included, in a TopologyTestDriver with an in-memory registry
 * of its own. The driver feeds the worker's commands back to the aggregates, so one piped command runs to its end.
 */
final class CommandSideDriver implements AutoCloseable {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final String registryScope = "command-side-" + UUID.randomUUID();
  final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
  final Topics topics = new Topics(new RegistryRecordSerdes(registry, true));
  final TopologyTestDriver driver;
  final TestInputTopic<String, AccountCommand> accountCommands;
  final TestInputTopic<String, byte[]> rawAccountCommands;
  final TestOutputTopic<String, AccountEvent> accountEvents;
  final TestOutputTopic<String, AccountState> accountState;
  final TestOutputTopic<String, CommandResult> results;
  final TestOutputTopic<byte[], byte[]> dlq;
  final TestInputTopic<String, TransferCommand> transferCommands;
  final TestOutputTopic<String, TransferEvent> transferEvents;
  final TestOutputTopic<String, TransferState> transferState;
  /** What the transfer worker sent; the driver has already fed it to the aggregates. */
  final TestOutputTopic<String, AccountCommand> workerAccountCommands;
  final TestOutputTopic<String, TransferCommand> workerTransferCommands;
  /** For sending a command as the application does, on the internal command topic. */
  final TestInputTopic<String, AccountCommand> internalAccountCommands;
  /** For delivering an event or a result to the worker once more. */
  final TestInputTopic<String, TransferEvent> redeliveredTransferEvents;
  final TestInputTopic<String, CommandResult> redeliveredResults;

  CommandSideDriver() {
    this(CommandSideConfig.DEFAULTS);
  }

  CommandSideDriver(CommandSideConfig config) {
    this(config, TransferDeadlines.DEFAULTS);
  }

  /** The wall clock starts at {@link #START}; {@code driver.advanceWallClockTime} runs the worker's deadlines. */
  CommandSideDriver(CommandSideConfig config, TransferDeadlines deadlines) {
    Properties props = StreamsSettings.exactlyOnce("command-side-test",
        Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
        Path.of("target", "kafka-streams", registryScope));
    props.putAll(deadlines.config());
    driver = new TopologyTestDriver(CommandTopology.build(topics, new RegistryRecordSerdes(registry, true), config), props,
        START);
    accountCommands = driver.createInputTopic(Topics.ACCOUNT_COMMANDS, Serdes.String().serializer(),
        topics.accountCommands.valueSerde().serializer());
    rawAccountCommands = driver.createInputTopic(Topics.ACCOUNT_COMMANDS, Serdes.String().serializer(),
        Serdes.ByteArray().serializer());
    accountEvents = driver.createOutputTopic(Topics.ACCOUNT_EVENTS, Serdes.String().deserializer(),
        topics.accountEvents.valueSerde().deserializer());
    accountState = driver.createOutputTopic(Topics.ACCOUNT_STATE, Serdes.String().deserializer(),
        topics.accountState.valueSerde().deserializer());
    results = driver.createOutputTopic(Topics.COMMAND_RESULTS, Serdes.String().deserializer(),
        topics.commandResults.valueSerde().deserializer());
    dlq = driver.createOutputTopic(Topics.DLQ, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    transferCommands = driver.createInputTopic(Topics.TRANSFER_COMMANDS, Serdes.String().serializer(),
        topics.transferCommands.valueSerde().serializer());
    transferEvents = driver.createOutputTopic(Topics.TRANSFER_EVENTS, Serdes.String().deserializer(),
        topics.transferEvents.valueSerde().deserializer());
    transferState = driver.createOutputTopic(Topics.TRANSFER_STATE, Serdes.String().deserializer(),
        topics.transferState.valueSerde().deserializer());
    workerAccountCommands = driver.createOutputTopic(AccountType.TYPE.internalCommandsTopic(),
        Serdes.String().deserializer(),
        topics.accountCommands.valueSerde().deserializer());
    workerTransferCommands = driver.createOutputTopic(TransferType.TYPE.internalCommandsTopic(),
        Serdes.String().deserializer(),
        topics.transferCommands.valueSerde().deserializer());
    internalAccountCommands = driver.createInputTopic(AccountType.TYPE.internalCommandsTopic(),
        Serdes.String().serializer(), topics.accountCommands.valueSerde().serializer());
    redeliveredResults = driver.createInputTopic(Topics.COMMAND_RESULTS, Serdes.String().serializer(),
        topics.commandResults.valueSerde().serializer());
    redeliveredTransferEvents = driver.createInputTopic(Topics.TRANSFER_EVENTS, Serdes.String().serializer(),
        topics.transferEvents.valueSerde().serializer());
  }

  @Override
  public void close() {
    driver.close();
    InMemorySchemaRegistry.drop(registryScope);
  }

  /**
   * The records of an internal command topic that the application issued itself (a worker's), leaving out the public
   * commands the claim stage passed on there.
   */
  static <V> List<TestRecord<String, V>> issued(TestOutputTopic<String, V> internalCommands) {
    return internalCommands.readRecordsToList().stream()
        .filter(record -> !ClaimStage.isClaimedPublic(record.headers()))
        .toList();
  }

  /** The values of {@link #issued}. */
  static <V> List<V> issuedValues(TestOutputTopic<String, V> internalCommands) {
    return issued(internalCommands).stream().map(TestRecord::value).toList();
  }
}
