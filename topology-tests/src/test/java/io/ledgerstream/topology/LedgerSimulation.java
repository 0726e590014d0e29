package io.ledgerstream.topology;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.CompleteTransfer;
import io.ledgerstream.avro.CreditForTransfer;
import io.ledgerstream.avro.DebitForTransfer;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.FailTransfer;
import io.ledgerstream.avro.RecordTransferDebit;
import io.ledgerstream.avro.RefundTransfer;
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

/**
 * Runs commands through the production command side in a TopologyTestDriver, plays the transfer worker's part by
 * hand (legs and progress reports with the worker's correlation and causation), and keeps every command it sent
 * and every event and result the command side wrote, in order, so they can be fed to the projections.
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

    String eventId() {
      return events.get(0).getEventId();
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
   * Requests a transfer and drives it to its end as the transfer worker would: debit the source, record the debit,
   * credit the destination, then complete; or fail, refunding the source when the credit was rejected.
   *
   * @return the request's outcome; its correlation id names the whole transfer
   */
  Outcome requestTransfer(String transferId, String from, String to, long amountMinor, String currency,
              String correlationId) {
    Outcome requested = transfer(transferId, new RequestTransfer(from, to, amountMinor, currency), correlationId, null);
    if (!requested.accepted()) {
      return requested;
    }
    String correlation = requested.result().getCorrelationId();
    Outcome debit = account(from, DebitForTransfer.newBuilder().setTransferId(transferId).setAmountMinor(amountMinor)
        .setCounterpartyAccountId(to).setCurrency(currency).build(), correlation, requested.eventId());
    if (!debit.accepted()) {
      transfer(transferId, new FailTransfer(debit.result().getRejection().getCode(),
          debit.result().getRejection().getMessage(), false), correlation, debit.command().getCommandId());
      return requested;
    }
    Outcome recorded = transfer(transferId, new RecordTransferDebit(debit.eventId()), correlation, debit.eventId());
    Outcome credit = account(to, CreditForTransfer.newBuilder().setTransferId(transferId).setAmountMinor(amountMinor)
        .setCounterpartyAccountId(from).setCurrency(currency).build(), correlation, recorded.eventId());
    if (credit.accepted()) {
      transfer(transferId, new CompleteTransfer(credit.eventId()), correlation, credit.eventId());
    } else {
      Outcome refund = account(from, new RefundTransfer(transferId, amountMinor), correlation,
          credit.command().getCommandId());
      transfer(transferId, new FailTransfer(credit.result().getRejection().getCode(),
          credit.result().getRejection().getMessage(), true), correlation, refund.eventId());
    }
    return requested;
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
    List<EventMetadata> events = new ArrayList<>();
    accountEvents.readRecordsToList().forEach(event -> {
      log.add(new Logged(Topics.ACCOUNT_EVENTS, event.key(), event.value(), event.getRecordTime()));
      events.add(event.value().getMetadata());
    });
    transferEvents.readRecordsToList().forEach(event -> {
      log.add(new Logged(Topics.TRANSFER_EVENTS, event.key(), event.value(), event.getRecordTime()));
      events.add(event.value().getMetadata());
    });
    accountState.readKeyValuesToMap().forEach(accounts::put);
    transferState.readKeyValuesToMap().forEach(transfers::put);
    List<CommandResult> written = results.readValuesToList();
    written.forEach(result -> log.add(new Logged(Topics.COMMAND_RESULTS, result.getCommandId(), result, clock)));
    clock = clock.plus(tick);
    return new Outcome(metadata, written.get(written.size() - 1), events);
  }

  @Override
  public void close() {
    driver.close();
  }
}
