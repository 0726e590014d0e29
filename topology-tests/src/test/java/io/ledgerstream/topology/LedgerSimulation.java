package io.ledgerstream.topology;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.RequestTransfer;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs commands through the production command side in a TopologyTestDriver, where the transfer worker drives each
 * requested transfer to its end, and keeps every command sent (by the simulation or by the worker) and every event and
 * result the command side wrote, in order, so they can be fed to the projections.
 */
final class LedgerSimulation implements AutoCloseable {

  /** One record on one of the contract's topics. */
  record Logged(String topic, String key, SpecificRecord value, Instant timestamp) {
  }

  /** What the command side did with one command. */
  record Outcome(CommandMetadata command, CommandResult result, List<EventMetadata> events) {
    boolean accepted() {
      return result.getStatus() == CommandStatus.ACCEPTED;
    }
  }

  final List<Logged> log = new ArrayList<>();
  final Map<String, AccountState> accounts = new HashMap<>();
  final Map<String, TransferState> transfers = new HashMap<>();
  private final Random random;
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, AccountCommand> accountCommands;
  private final TestInputTopic<String, TransferCommand> transferCommands;
  private final TestOutputTopic<String, AccountEvent> accountEvents;
  private final TestOutputTopic<String, TransferEvent> transferEvents;
  private final TestOutputTopic<String, AccountState> accountState;
  private final TestOutputTopic<String, TransferState> transferState;
  private final TestOutputTopic<String, CommandResult> results;
  private final TestOutputTopic<String, AccountCommand> workerAccountCommands;
  private final TestOutputTopic<String, TransferCommand> workerTransferCommands;
  private final Duration tick;
  private Instant clock;

  /** @param tick how far the clock moves between two commands; zero or negative to test ordering without it */
  LedgerSimulation(InMemorySchemaRegistry registry, String scope, long seed, Instant start, Duration tick) {
    random = new Random(seed);
    clock = start;
    this.tick = tick;
    Topics topics = new Topics(new RegistryRecordSerdes(registry, true));
    driver = new TopologyTestDriver(
        CommandTopology.build(topics, new RegistryRecordSerdes(registry, true), CommandSideConfig.DEFAULTS),
        StreamsSettings.exactlyOnce("simulated-command-side", Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
            Path.of("target", "kafka-streams", scope, "command-side")),
        start);
    accountCommands = driver.createInputTopic(Topics.ACCOUNT_COMMANDS, Serdes.String().serializer(),
        topics.accountCommands.valueSerde().serializer());
    transferCommands = driver.createInputTopic(Topics.TRANSFER_COMMANDS, Serdes.String().serializer(),
        topics.transferCommands.valueSerde().serializer());
    accountEvents = driver.createOutputTopic(Topics.ACCOUNT_EVENTS, Serdes.String().deserializer(),
        topics.accountEvents.valueSerde().deserializer());
    transferEvents = driver.createOutputTopic(Topics.TRANSFER_EVENTS, Serdes.String().deserializer(),
        topics.transferEvents.valueSerde().deserializer());
    accountState = driver.createOutputTopic(Topics.ACCOUNT_STATE, Serdes.String().deserializer(),
        topics.accountState.valueSerde().deserializer());
    transferState = driver.createOutputTopic(Topics.TRANSFER_STATE, Serdes.String().deserializer(),
        topics.transferState.valueSerde().deserializer());
    results = driver.createOutputTopic(Topics.COMMAND_RESULTS, Serdes.String().deserializer(),
        topics.commandResults.valueSerde().deserializer());
    workerAccountCommands = driver.createOutputTopic(AccountType.TYPE.internalCommandsTopic(),
        Serdes.String().deserializer(),
        topics.accountCommands.valueSerde().deserializer());
    workerTransferCommands = driver.createOutputTopic(TransferType.TYPE.internalCommandsTopic(),
        Serdes.String().deserializer(),
        topics.transferCommands.valueSerde().deserializer());
  }

  Outcome account(String accountId, Object payload) {
    return account(accountId, payload, null, null);
  }

  Outcome account(String accountId, Object payload, String correlationId, String causationId) {
    return send(Topics.ACCOUNT_COMMANDS, accountId, metadata(correlationId, causationId), payload);
  }

  Outcome transfer(String transferId, Object payload, String correlationId, String causationId) {
    return send(Topics.TRANSFER_COMMANDS, transferId, metadata(correlationId, causationId), payload);
  }

  /** Sends the same command again, as a client retrying after a timeout would. */
  Outcome retry(String topic, String key, Outcome earlier, Object payload) {
    return send(topic, key, earlier.command(), payload);
  }

  /**
   * Requests a transfer; the command side's transfer worker drives it to its end within this call, and its commands
   * are logged with everything else.
   *
   * @return the request's outcome; its correlation id names the whole transfer
   */
  Outcome requestTransfer(String transferId, String from, String to, long amountMinor, String currency,
              String correlationId) {
    return transfer(transferId, new RequestTransfer(from, to, amountMinor, currency), correlationId, null);
  }

  String newId() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private CommandMetadata metadata(String correlationId, String causationId) {
    return CommandMetadata.newBuilder()
        .setCommandId(newId())
        .setCorrelationId(correlationId)
        .setCausationId(causationId)
        .setIssuedAt(clock)
        .setIssuedBy("simulation")
        .setExpectedVersion(null)
        .build();
  }

  private Outcome send(String topic, String key, CommandMetadata metadata, Object payload) {
    SpecificRecord command;
    if (topic.equals(Topics.ACCOUNT_COMMANDS)) {
      AccountCommand accountCommand = new AccountCommand(metadata, payload);
      accountCommands.pipeInput(key, accountCommand, clock);
      command = accountCommand;
    } else {
      TransferCommand transferCommand = new TransferCommand(metadata, payload);
      transferCommands.pipeInput(key, transferCommand, clock);
      command = transferCommand;
    }
    log.add(new Logged(topic, key, command, clock));
    // the driver has run the command and every command the transfer worker sent in reaction, to the end
    CommandSideDriver.issued(workerAccountCommands).forEach(sent ->
        log.add(new Logged(AccountType.TYPE.internalCommandsTopic(), sent.key(), sent.value(), sent.getRecordTime())));
    CommandSideDriver.issued(workerTransferCommands).forEach(sent ->
        log.add(new Logged(TransferType.TYPE.internalCommandsTopic(), sent.key(), sent.value(), sent.getRecordTime())));
    String commandId = metadata.getCommandId();
    List<EventMetadata> events = new ArrayList<>();
    accountEvents.readRecordsToList().forEach(event -> {
      log.add(new Logged(Topics.ACCOUNT_EVENTS, event.key(), event.value(), event.getRecordTime()));
      if (event.value().getMetadata().getCommandId().equals(commandId)) {
        events.add(event.value().getMetadata());
      }
    });
    transferEvents.readRecordsToList().forEach(event -> {
      log.add(new Logged(Topics.TRANSFER_EVENTS, event.key(), event.value(), event.getRecordTime()));
      if (event.value().getMetadata().getCommandId().equals(commandId)) {
        events.add(event.value().getMetadata());
      }
    });
    accountState.readKeyValuesToMap().forEach(accounts::put);
    transferState.readKeyValuesToMap().forEach(transfers::put);
    CommandResult result = null;
    for (TestRecord<String, CommandResult> written : results.readRecordsToList()) {
      log.add(new Logged(Topics.COMMAND_RESULTS, written.key(), written.value(), written.getRecordTime()));
      if (written.key().equals(commandId)) {
        result = written.value();
      }
    }
    clock = clock.plus(tick);
    return new Outcome(metadata, result, events);
  }

  @Override
  public void close() {
    driver.close();
  }
}
