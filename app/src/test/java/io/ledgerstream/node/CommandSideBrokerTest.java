package io.ledgerstream.node;

import static org.assertj.core.api.Assertions.assertThat;
import io.ledgerstream.account.AccountType;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.PoisonRecordHandler;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.testing.TargetDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The command side on a real broker, fed and read by plain Kafka clients. */
class CommandSideBrokerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String registryScope = "command-side-broker-" + UUID.randomUUID();
  private final String account = "acct-" + UUID.randomUUID();
  private LedgerNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    InMemorySchemaRegistry.drop(registryScope);
  }

  @Test
  void commandsRoundTripThroughPlainClients() throws Exception {
    node = LedgerNode.start(settings(TargetDirs.fresh("command-side-round-trip")));
    AccountCommand open = command("OpenAccount", Map.of("owner", "alice", "currency", "EUR"));
    AccountCommand deposit = command("DepositMoney", Map.of("amountMinor", 1250L, "reference", "salary"));
    send(open, deposit);

    List<AccountEvent> events = events(2);
    assertThat(events).extracting(event -> event.getMetadata().getAggregateVersion()).containsExactly(1L, 2L);
    assertThat(events.get(1).getMetadata().getCommandId()).isEqualTo(deposit.getMetadata().getCommandId());
    assertThat(latestState().getBalanceMinor()).isEqualTo(1250);
    assertThat(results(open, deposit)).extracting(CommandResult::getStatus)
        .containsExactly(CommandStatus.ACCEPTED, CommandStatus.ACCEPTED);
  }

  @Test
  void aRestartKeepsStateAndRecordsNoDuplicates() throws Exception {
    Path data = TargetDirs.fresh("command-side-restart");
    node = LedgerNode.start(settings(data));
    AccountCommand deposit = command("DepositMoney", Map.of("amountMinor", 500L));
    send(command("OpenAccount", Map.of("owner", "bob", "currency", "USD")), deposit);
    events(2);
    node.close();

    node = LedgerNode.start(settings(data));
    AccountCommand withdrawal = command("WithdrawMoney", Map.of("amountMinor", 300L));
    send(deposit, withdrawal);

    List<AccountEvent> events = events(3);
    assertThat(events).extracting(event -> event.getMetadata().getAggregateVersion()).containsExactly(1L, 2L, 3L);
    assertThat(latestState().getBalanceMinor()).isEqualTo(200);
    List<CommandResult> depositResults = resultsOf(deposit, 2);
    assertThat(depositResults).hasSize(2).allSatisfy(result -> assertThat(result.getVersion()).isEqualTo(2));
  }

  @Test
  void aNodeWithoutLocalStateRestoresItFromTheChangelog() throws Exception {
    node = LedgerNode.start(settings(TargetDirs.fresh("command-side-before-wipe")));
    AccountCommand deposit = command("DepositMoney", Map.of("amountMinor", 700L));
    send(command("OpenAccount", Map.of("owner", "carol", "currency", "EUR")), deposit);
    events(2);
    node.close();

    node = LedgerNode.start(settings(TargetDirs.fresh("command-side-after-wipe")));
    send(deposit, command("WithdrawMoney", Map.of("amountMinor", 700L)));

    assertThat(events(3)).hasSize(3);
    assertThat(latestState().getBalanceMinor()).isZero();
  }

  @Test
  void garbageGoesToTheDeadLetterTopicAndTheNextCommandIsProcessed() throws Exception {
    node = LedgerNode.start(settings(TargetDirs.fresh("command-side-dlq")));
    byte[] garbage = ("garbage for " + account).getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(),
        Serdes.String().serializer(), Serdes.ByteArray().serializer())) {
      producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS, account, garbage)).get();
    }
    AccountCommand open = command("OpenAccount", Map.of("owner", "dave", "currency", "EUR"));
    send(open);

    assertThat(results(open)).extracting(CommandResult::getStatus).containsExactly(CommandStatus.ACCEPTED);
    List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(node.clientProperties(), Topics.DLQ,
        Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        record -> record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(account),
        found -> !found.isEmpty(), TIMEOUT);
    assertThat(dead).singleElement().satisfies(letter -> {
      assertThat(letter.value()).isEqualTo(garbage);
      assertThat(header(letter, PoisonRecordHandler.HEADER_TOPIC)).isEqualTo(Topics.ACCOUNT_COMMANDS);
      assertThat(header(letter, PoisonRecordHandler.HEADER_PARTITION)).matches("\\d+");
      assertThat(header(letter, PoisonRecordHandler.HEADER_OFFSET)).matches("\\d+");
      assertThat(header(letter, PoisonRecordHandler.HEADER_EXCEPTION)).endsWith("AvroSerdeException");
      assertThat(header(letter, PoisonRecordHandler.HEADER_MESSAGE)).containsIgnoringCase("magic byte");
    });
  }

  @Test
  void aCommandWithoutKeyOrWithoutValueGoesToTheDeadLetterTopic() throws Exception {
    node = LedgerNode.start(settings(TargetDirs.fresh("command-side-dlq-null")));
    AccountCommand open = command("OpenAccount", Map.of("owner", "erin", "currency", "EUR"));
    byte[] keyless;
    try (KafkaProducer<String, AccountCommand> producer = new KafkaProducer<>(producerProperties(),
        Serdes.String().serializer(), node.topics().accountCommands.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS, account, null)).get();
      producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS, null, open)).get();
      keyless = node.topics().accountCommands.valueSerde().serializer().serialize(Topics.ACCOUNT_COMMANDS, open);
    }
    send(open);

    assertThat(results(open)).extracting(CommandResult::getStatus).containsExactly(CommandStatus.ACCEPTED);
    List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(node.clientProperties(), Topics.DLQ,
        Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        record -> (record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(account))
            || (record.value() != null && Arrays.equals(record.value(), keyless)),
        found -> found.size() >= 2, TIMEOUT);
    assertThat(dead).hasSize(2).allSatisfy(letter ->
        assertThat(header(letter, PoisonRecordHandler.HEADER_TOPIC)).isEqualTo(Topics.ACCOUNT_COMMANDS));
    assertThat(dead).extracting(letter -> header(letter, PoisonRecordHandler.HEADER_MESSAGE))
        .containsExactlyInAnyOrder("a command on ledger.account.commands needs a value",
            "a command on ledger.account.commands needs its aggregate id as key");
  }

  private NodeSettings settings(Path dataDir) {
    return NodeSettings.builder().bootstrapServers(RealKafka.bootstrapServers()).schemaRegistryUrl("mock://" + registryScope).autoRegisterSchemas(true)
        .dataDir(dataDir).kafkaPort(0).registryPort(0).httpPort(0).partitions(3).replicationFactor((short) 1).build();
  }

  private AccountCommand command(String type, Map<String, ?> fields) {
    return (AccountCommand) CommandFactory.envelope(AccountType.TYPE, type, fields,
        CommandFactory.metadata(null, null, null, "test"));
  }

  private void send(AccountCommand... commands) throws Exception {
    try (KafkaProducer<String, AccountCommand> producer = new KafkaProducer<>(producerProperties(),
        Serdes.String().serializer(), node.topics().accountCommands.valueSerde().serializer())) {
      for (AccountCommand command : commands) {
        producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS, account, command)).get();
      }
    }
  }

  private Map<String, Object> producerProperties() {
    Map<String, Object> props = new HashMap<>(node.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return props;
  }

  private List<AccountEvent> events(int expected) {
    return TopicReader.read(node.clientProperties(), Topics.ACCOUNT_EVENTS, Serdes.String().deserializer(),
            node.topics().accountEvents.valueSerde().deserializer(), record -> account.equals(record.key()),
            found -> found.size() >= expected, TIMEOUT)
        .stream().map(ConsumerRecord::value).toList();
  }

  private AccountState latestState() {
    List<ConsumerRecord<String, AccountState>> states = TopicReader.read(node.clientProperties(), Topics.ACCOUNT_STATE,
        Serdes.String().deserializer(), node.topics().accountState.valueSerde().deserializer(),
        record -> account.equals(record.key()), found -> false, Duration.ofSeconds(3));
    return states.get(states.size() - 1).value();
  }

  private List<CommandResult> results(AccountCommand... commands) {
    List<String> ids = Arrays.stream(commands).map(c -> c.getMetadata().getCommandId()).toList();
    List<CommandResult> found = TopicReader.read(node.clientProperties(), Topics.COMMAND_RESULTS,
            Serdes.String().deserializer(), node.topics().commandResults.valueSerde().deserializer(),
            record -> ids.contains(record.key()), all -> all.size() >= ids.size(), TIMEOUT)
        .stream().map(ConsumerRecord::value).toList();
    return ids.stream().map(id -> found.stream().filter(r -> r.getCommandId().equals(id)).findFirst().orElseThrow())
        .toList();
  }

  private List<CommandResult> resultsOf(AccountCommand command, int expected) {
    return TopicReader.read(node.clientProperties(), Topics.COMMAND_RESULTS, Serdes.String().deserializer(),
            node.topics().commandResults.valueSerde().deserializer(),
            record -> command.getMetadata().getCommandId().equals(record.key()),
            found -> found.size() >= expected, TIMEOUT)
        .stream().map(ConsumerRecord::value).toList();
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
