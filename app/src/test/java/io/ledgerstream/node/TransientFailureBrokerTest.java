package io.ledgerstream.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.Ledger;
import io.ledgerstream.account.AccountBinding;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.domain.account.Account;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.testing.TargetDirs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failure inside the command side's processing, on a real broker: the task fails, its transaction aborts, a new
 * stream thread runs the command again from the last commit, and the command is recorded whole, once.
 */
class TransientFailureBrokerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String registryScope = "transient-failure-" + UUID.randomUUID();
  private final String account = "acct-" + UUID.randomUUID();
  private final FailingSnapshots<io.ledgerstream.domain.account.AccountCommand, io.ledgerstream.domain.account.AccountEvent,
      Account, AccountCommand, AccountEvent, AccountState> snapshots = new FailingSnapshots<>(new AccountBinding());
  private LedgerNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    InMemorySchemaRegistry.drop(registryScope);
  }

  @Test
  void aCommandThatFailsAfterItsEventsIsRetriedWholeAndRecordedOnce() throws Exception {
    // the ledger's schemas first, in the ledger's order, so this registry gives them the ids every other test's
    // registry gives them on the shared topics
    SchemaSetup.register(InMemorySchemaRegistry.scope(registryScope), new Topics(
        new RegistryRecordSerdes(InMemorySchemaRegistry.scope(registryScope), true), Ledger.AGGREGATE_TYPES).avroTopics());
    AggregateType<AccountCommand, AccountEvent, AccountState> accounts = AggregateType
        .builder("account", AccountCommand.class, AccountEvent.class, AccountState.class, snapshots)
        .plural("accounts").tag("a").build();
    node = LedgerNode.start(NodeSettings.builder().bootstrapServers(RealKafka.bootstrapServers())
        .schemaRegistryUrl("mock://" + registryScope).autoRegisterSchemas(true)
        .dataDir(TargetDirs.fresh("transient-failure")).kafkaPort(0).registryPort(0).httpPort(0).partitions(3)
        .replicationFactor((short) 1)
        // a failed task's rebalance waits for the dead thread's session to end: 10 s here rather than 45 s
        .clientProperties(Map.of("session.timeout.ms", "10000"))
        .build(), List.of(accounts));
    AccountCommand open = command("OpenAccount", Map.of("owner", "erin", "currency", "EUR"));
    send(open);
    assertThat(resultsOf(open, 1)).singleElement()
        .satisfies(result -> assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED));

    snapshots.failNext(1);
    AccountCommand deposit = command("DepositMoney", Map.of("amountMinor", 900L, "reference", "once"));
    send(deposit);

    assertThat(resultsOf(deposit, 1)).singleElement().satisfies(result -> {
      assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      assertThat(result.getVersion()).isEqualTo(2);
    });
    assertThat(snapshots.failed()).as("the failure was injected").isEqualTo(1);
    List<AccountEvent> events = settled(Topics.ACCOUNT_EVENTS, node.topics().accountEvents.valueSerde().deserializer());
    assertThat(events).extracting(event -> event.getMetadata().getAggregateVersion()).containsExactly(1L, 2L);
    assertThat(events.get(1).getMetadata().getCommandId()).isEqualTo(deposit.getMetadata().getCommandId());
    List<AccountState> states = settled(Topics.ACCOUNT_STATE, node.topics().accountState.valueSerde().deserializer());
    assertThat(states).extracting(AccountState::getVersion).containsExactly(1L, 2L);
    assertThat(states.get(1).getBalanceMinor()).isEqualTo(900);
    assertThat(settled(Topics.COMMAND_RESULTS, node.topics().commandResults.valueSerde().deserializer()))
        .extracting(CommandResult::getCommandId)
        .containsExactlyInAnyOrder(open.getMetadata().getCommandId(), deposit.getMetadata().getCommandId());
    assertThat(settled(Topics.DLQ, Serdes.ByteArray().deserializer())).as("dead letters").isEmpty();

    // the memory was written too: a retry is answered with the original result and records nothing
    send(deposit);
    assertThat(resultsOf(deposit, 2)).hasSize(2).allSatisfy(result -> assertThat(result.getVersion()).isEqualTo(2));
    assertThat(settled(Topics.ACCOUNT_EVENTS, node.topics().accountEvents.valueSerde().deserializer())).hasSize(2);
  }

  private AccountCommand command(String type, Map<String, ?> fields) {
    return (AccountCommand) CommandFactory.envelope(AccountType.TYPE, type, fields,
        CommandFactory.metadata(null, null, null, "test"));
  }

  private void send(AccountCommand command) throws Exception {
    Map<String, Object> props = new HashMap<>(node.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, AccountCommand> producer = new KafkaProducer<>(props, Serdes.String().serializer(),
        node.topics().accountCommands.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS, account, command)).get();
    }
  }

  private List<CommandResult> resultsOf(AccountCommand command, int expected) {
    return TopicReader.read(node.clientProperties(), Topics.COMMAND_RESULTS, Serdes.String().deserializer(),
            node.topics().commandResults.valueSerde().deserializer(),
            record -> command.getMetadata().getCommandId().equals(record.key()),
            found -> found.size() >= expected, TIMEOUT)
        .stream().map(ConsumerRecord::value).toList();
  }

  /**
   * Every committed record about this account on the topic: the results read above came in the same transactions, so
   * what is missing now never comes.
   */
  private <V> List<V> settled(String topic, org.apache.kafka.common.serialization.Deserializer<V> values) {
    return TopicReader.read(node.clientProperties(), topic, Serdes.ByteArray().deserializer(), values,
            record -> record.key() != null && (account.equals(new String(record.key(), StandardCharsets.UTF_8))
                || isOurResult(record)),
            found -> false, Duration.ofSeconds(3))
        .stream().map(ConsumerRecord::value).toList();
  }

  private boolean isOurResult(ConsumerRecord<byte[], ?> record) {
    return record.value() instanceof CommandResult result && account.equals(result.getAggregateId());
  }
}
