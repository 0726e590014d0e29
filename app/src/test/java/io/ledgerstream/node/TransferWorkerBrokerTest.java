package io.ledgerstream.node;

import static org.assertj.core.api.Assertions.assertThat;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.transfer.TransferType;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.cli.Main;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.ClaimStage;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.testing.TargetDirs;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transfer worker on a real broker: many concurrent transfers, money conserved, every chain complete. */
class TransferWorkerBrokerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int TRANSFERS = 200;
  private static final int SENDERS = 4;
  private static final long OPENING_DEPOSIT = 5_000;
  private static final Set<String> ACCOUNT_COMMANDS = Set.of("DebitForTransfer", "CreditForTransfer", "RefundTransfer",
      "SettleTransfer");
  private static final Set<String> TRANSFER_REQUESTS = Set.of("RequestTransfer");
  private static final Set<String> TRANSFER_COMMANDS =
      Set.of("RecordTransferDebit", "CompleteTransfer", "FailTransfer");
  private static final Set<String> ACCOUNT_EVENTS = Set.of("TransferDebited", "TransferCredited", "TransferRefunded",
      "TransferSettled");
  private static final Set<String> TRANSFER_EVENTS =
      Set.of("TransferRequested", "TransferDebitRecorded", "TransferCompleted", "TransferFailed");

  private final String registryScope = "transfer-worker-broker-" + UUID.randomUUID();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> accounts = new ArrayList<>();
  private LedgerNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    InMemorySchemaRegistry.drop(registryScope);
  }

  @Test
  void concurrentTransfersConserveMoneyAndLeaveCompleteCorrelationChains() throws Exception {
    node = LedgerNode.start(NodeSettings.builder().bootstrapServers(RealKafka.bootstrapServers()).schemaRegistryUrl("mock://" + registryScope).autoRegisterSchemas(true)
        .dataDir(TargetDirs.fresh("transfer-worker-broker")).kafkaPort(0).registryPort(0).httpPort(0).partitions(3).replicationFactor((short) 1).build());
    openAccounts();
    String closed = accounts.get(9);
    String dollars = accounts.get(8);
    String missing = run + "-nobody";

    assertThat(Main.run("send", "transfer", run + "-cli", "RequestTransfer", "from=" + accounts.get(0),
        "to=" + accounts.get(1), "amountMinor=500", "currency=EUR", "--correlation-id", run + "-cli",
        "--bootstrap-servers", node.bootstrapServers(), "--schema-registry-url", "mock://" + registryScope,
        "--wait")).isZero();
    Map<String, TransferCommand> requests = randomTransfers(new Random(2026), missing);
    sendConcurrently(requests);

    Map<String, TransferState> transfers = awaitFinished(union(requests.keySet(), Set.of(run + "-cli")));
    Map<String, AccountState> balances = latestAccountStates();

    assertThat(balances.values().stream().mapToLong(AccountState::getBalanceMinor).sum())
        .isEqualTo(OPENING_DEPOSIT * 9);
    Map<String, Long> expected = new HashMap<>();
    accounts.forEach(account -> expected.put(account, account.equals(closed) ? 0 : OPENING_DEPOSIT));
    transfers.values().stream().filter(transfer -> transfer.getStatus() == TransferStatus.COMPLETED).forEach(transfer -> {
      expected.merge(transfer.getFrom(), -transfer.getAmountMinor(), Long::sum);
      expected.merge(transfer.getTo(), transfer.getAmountMinor(), Long::sum);
    });
    assertThat(balances.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        entry -> entry.getValue().getBalanceMinor()))).isEqualTo(expected);
    assertThat(transfers.get(run + "-cli").getStatus()).isEqualTo(TransferStatus.COMPLETED);
    assertThat(transfers.values()).extracting(TransferState::getFailureCode).contains(
        null, "INSUFFICIENT_FUNDS", "CURRENCY_MISMATCH", "ACCOUNT_CLOSED", "ACCOUNT_NOT_FOUND");
    assertThat(transfers.values()).filteredOn(TransferState::getRefunded)
        .extracting(TransferState::getTo).containsAnyOf(closed, dollars, missing);

    String completed = correlationOf(requests, transfers, transfer -> transfer.getStatus() == TransferStatus.COMPLETED);
    assertChain(completed, List.of("RequestTransfer", "TransferRequested", "DebitForTransfer", "TransferDebited",
        "RecordTransferDebit", "TransferDebitRecorded", "CreditForTransfer", "TransferCredited", "CompleteTransfer",
        "TransferCompleted", "SettleTransfer", "TransferSettled"), Set.of());
    String refunded = correlationOf(requests, transfers, TransferState::getRefunded);
    assertChain(refunded, List.of("RequestTransfer", "TransferRequested", "DebitForTransfer", "TransferDebited",
        "RecordTransferDebit", "TransferDebitRecorded", "CreditForTransfer", "RefundTransfer", "TransferRefunded",
        "FailTransfer", "TransferFailed"), Set.of("CreditForTransfer"));
    String debitRejected = correlationOf(requests, transfers,
        transfer -> transfer.getStatus() == TransferStatus.FAILED && !transfer.getRefunded());
    assertChain(debitRejected, List.of("RequestTransfer", "TransferRequested", "DebitForTransfer", "FailTransfer",
        "TransferFailed"), Set.of("DebitForTransfer"));
  }

  private void openAccounts() throws Exception {
    List<AccountCommand> setup = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer = producer()) {
      for (int i = 0; i < 10; i++) {
        String account = run + "-A" + i;
        accounts.add(account);
        List<AccountCommand> commands = new ArrayList<>();
        commands.add(accountCommand("OpenAccount", Map.of("owner", "owner-" + i, "currency", i == 8 ? "USD" : "EUR")));
        if (i < 9) {
          commands.add(accountCommand("DepositMoney", Map.of("amountMinor", OPENING_DEPOSIT)));
        } else {
          commands.add(accountCommand("CloseAccount", Map.of("reason", "closed before any transfer")));
        }
        for (AccountCommand command : commands) {
          producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS, account, command)).get();
        }
        setup.addAll(commands);
      }
    }
    Set<String> ids = setup.stream().map(command -> command.getMetadata().getCommandId()).collect(Collectors.toSet());
    List<CommandResult> results = read(Topics.COMMAND_RESULTS, node.topics().commandResults.valueSerde().deserializer(),
        record -> ids.contains(record.key()), found -> found.size() >= ids.size());
    assertThat(results).hasSize(ids.size())
        .allSatisfy(result -> assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED));
  }

  /** Transfers between random accounts, some of them bound to fail: too large, to a closed, foreign or missing account. */
  private Map<String, TransferCommand> randomTransfers(Random random, String missing) {
    Map<String, TransferCommand> requests = new LinkedHashMap<>();
    for (int i = 0; i < TRANSFERS; i++) {
      String from = accounts.get(random.nextInt(9));
      String to = random.nextInt(12) == 0 ? missing : accounts.get(random.nextInt(10));
      if (to.equals(from)) {
        to = accounts.get(9);
      }
      long amount = random.nextInt(10) == 0 ? 4_000 + random.nextInt(4_000) : 1 + random.nextInt(900);
      String currency = random.nextInt(15) == 0 ? "USD" : "EUR";
      CommandMetadata metadata = CommandFactory.metadata(null, run + "-journey-" + i, null, "test");
      requests.put(run + "-T" + i, (TransferCommand) CommandFactory.envelope(TransferType.TYPE, "RequestTransfer",
          Map.of("from", from, "to", to, "amountMinor", amount, "currency", currency), metadata));
    }
    return requests;
  }

  private void sendConcurrently(Map<String, TransferCommand> requests) throws Exception {
    List<Map.Entry<String, TransferCommand>> all = new ArrayList<>(requests.entrySet());
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int sender = 0; sender < SENDERS; sender++) {
        int first = sender;
        sent.add(senders.submit(() -> {
          try (KafkaProducer<String, SpecificRecord> producer = producer()) {
            for (int i = first; i < all.size(); i += SENDERS) {
              producer.send(new ProducerRecord<>(Topics.TRANSFER_COMMANDS, all.get(i).getKey(), all.get(i).getValue()));
            }
            producer.flush();
          }
          return null;
        }));
      }
      for (Future<?> future : sent) {
        future.get();
      }
    } finally {
      senders.shutdown();
    }
  }

  /** Waits until every transfer's latest state is completed or failed, and returns those states. */
  private Map<String, TransferState> awaitFinished(Set<String> transferIds) {
    Predicate<Map<String, TransferState>> allFinished = latest -> latest.keySet().equals(transferIds)
        && latest.values().stream().allMatch(TransferWorkerBrokerTest::isFinished);
    Map<String, TransferState> latest = latestByKey(readRecords(Topics.TRANSFER_STATE,
        node.topics().transferState.valueSerde().deserializer(), record -> transferIds.contains(record.key()),
        found -> allFinished.test(latestByKey(found)), TIMEOUT));
    assertThat(latest.keySet()).isEqualTo(transferIds);
    assertThat(latest.values()).allSatisfy(state -> assertThat(isFinished(state)).as(state.toString()).isTrue());
    return latest;
  }

  /** Every account's latest snapshot: the topic is read to its end, since any earlier one may be stale. */
  private Map<String, AccountState> latestAccountStates() {
    Map<String, AccountState> latest = latestByKey(readRecords(Topics.ACCOUNT_STATE,
        node.topics().accountState.valueSerde().deserializer(), record -> accounts.contains(record.key()),
        found -> false, Duration.ofSeconds(3)));
    assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(accounts);
    return latest;
  }

  private static <V> Map<String, V> latestByKey(List<ConsumerRecord<String, V>> records) {
    Map<String, V> latest = new HashMap<>();
    records.forEach(record -> latest.put(record.key(), record.value()));
    return latest;
  }

  private static String correlationOf(Map<String, TransferCommand> requests, Map<String, TransferState> transfers,
                                      Predicate<TransferState> sample) {
    return requests.entrySet().stream().filter(request -> sample.test(transfers.get(request.getKey())))
        .map(request -> request.getValue().getMetadata().getCorrelationId()).findFirst().orElseThrow();
  }

  /**
   * Checks one transfer's correlation on the topics: its commands and events in causal order, each worker command
   * caused by the record before it, and a result for every command, rejected only for the given command types.
   */
  private void assertChain(String correlationId, List<String> expectedTypes, Set<String> rejected) {
    List<Link> commands = new ArrayList<>();
    // the request is a client's, on the public topic; the worker's commands are on the internal ones
    // (the internal topics also carry the claim stage's verdicts on public commands: the same commands again)
    read(AccountType.TYPE.internalCommandsTopic(), node.topics().accountCommands.valueSerde().deserializer(),
        record -> correlationId.equals(record.value().getMetadata().getCorrelationId())
            && !ClaimStage.isClaimedPublic(record.headers()),
        found -> found.size() >= count(expectedTypes, ACCOUNT_COMMANDS))
        .forEach(command -> commands.add(Link.of(command.getMetadata(), command.getPayload())));
    read(Topics.TRANSFER_COMMANDS, node.topics().transferCommands.valueSerde().deserializer(),
        record -> correlationId.equals(record.value().getMetadata().getCorrelationId()),
        found -> found.size() >= count(expectedTypes, TRANSFER_REQUESTS))
        .forEach(command -> commands.add(Link.of(command.getMetadata(), command.getPayload())));
    read(TransferType.TYPE.internalCommandsTopic(), node.topics().transferCommands.valueSerde().deserializer(),
        record -> correlationId.equals(record.value().getMetadata().getCorrelationId())
            && !ClaimStage.isClaimedPublic(record.headers()),
        found -> found.size() >= count(expectedTypes, TRANSFER_COMMANDS))
        .forEach(command -> commands.add(Link.of(command.getMetadata(), command.getPayload())));
    Map<String, Link> events = new HashMap<>();
    read(Topics.ACCOUNT_EVENTS, node.topics().accountEvents.valueSerde().deserializer(),
        record -> correlationId.equals(record.value().getMetadata().getCorrelationId()),
        found -> found.size() >= count(expectedTypes, ACCOUNT_EVENTS))
        .forEach(event -> events.put(event.getMetadata().getCommandId(), Link.of(event)));
    read(Topics.TRANSFER_EVENTS, node.topics().transferEvents.valueSerde().deserializer(),
        record -> correlationId.equals(record.value().getMetadata().getCorrelationId()),
        found -> found.size() >= count(expectedTypes, TRANSFER_EVENTS))
        .forEach(event -> events.put(event.getMetadata().getCommandId(), Link.of(event)));
    Map<String, CommandResult> results = new HashMap<>();
    read(Topics.COMMAND_RESULTS, node.topics().commandResults.valueSerde().deserializer(),
        record -> correlationId.equals(record.value().getCorrelationId()), found -> found.size() >= commands.size())
        .forEach(result -> results.put(result.getCommandId(), result));

    // follow causation from the request: each command, then its event, then the command that event caused
    List<String> chain = new ArrayList<>();
    Link request = commands.stream().filter(command -> command.causationId() == null).findFirst().orElseThrow();
    Link command = request;
    while (command != null) {
      chain.add(command.type());
      CommandResult result = results.get(command.id());
      assertThat(result).as("result of %s", command.type()).isNotNull();
      assertThat(result.getStatus()).as("result of %s", command.type())
          .isEqualTo(rejected.contains(command.type()) ? CommandStatus.REJECTED : CommandStatus.ACCEPTED);
      if (command != request) {
        assertThat(command.issuedBy()).isEqualTo(TransferWorkerTopology.ISSUED_BY);
      }
      Link event = events.get(command.id());
      String cause = command.id();
      if (event != null) {
        chain.add(event.type());
        cause = event.id();
      }
      String causeId = cause;
      command = commands.stream().filter(next -> causeId.equals(next.causationId())).findFirst().orElse(null);
    }
    assertThat(chain).isEqualTo(expectedTypes);
    assertThat(commands).hasSize(count(expectedTypes, ACCOUNT_COMMANDS) + count(expectedTypes, TRANSFER_REQUESTS)
        + count(expectedTypes, TRANSFER_COMMANDS));
    assertThat(events).hasSize(count(expectedTypes, ACCOUNT_EVENTS) + count(expectedTypes, TRANSFER_EVENTS));
  }

  private static int count(List<String> types, Set<String> kind) {
    return (int) types.stream().filter(kind::contains).count();
  }

  /** One command or event of a chain: its id, what caused it and its payload type. */
  private record Link(String id, String causationId, String type, String issuedBy) {

    static Link of(CommandMetadata metadata, Object payload) {
      return new Link(metadata.getCommandId(), metadata.getCausationId(), payload.getClass().getSimpleName(),
          metadata.getIssuedBy());
    }

    static Link of(AccountEvent event) {
      return new Link(event.getMetadata().getEventId(), event.getMetadata().getCausationId(),
          event.getPayload().getClass().getSimpleName(), null);
    }

    static Link of(TransferEvent event) {
      return new Link(event.getMetadata().getEventId(), event.getMetadata().getCausationId(),
          event.getPayload().getClass().getSimpleName(), null);
    }
  }

  private static boolean isFinished(TransferState state) {
    return state.getStatus() == TransferStatus.COMPLETED || state.getStatus() == TransferStatus.FAILED;
  }

  private static Set<String> union(Set<String> left, Set<String> right) {
    Set<String> all = new HashSet<>(left);
    all.addAll(right);
    return all;
  }

  private AccountCommand accountCommand(String type, Map<String, ?> fields) {
    return (AccountCommand) CommandFactory.envelope(AccountType.TYPE, type, fields,
        CommandFactory.metadata(null, null, null, "test"));
  }

  private KafkaProducer<String, SpecificRecord> producer() {
    Map<String, Object> props = new HashMap<>(node.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    Topics topics = node.topics();
    return new KafkaProducer<>(props, Serdes.String().serializer(), (topic, value) -> value instanceof AccountCommand c
        ? topics.accountCommands.valueSerde().serializer().serialize(topic, c)
        : topics.transferCommands.valueSerde().serializer().serialize(topic, (TransferCommand) value));
  }

  private <V> List<V> read(String topic, Deserializer<V> values, Predicate<ConsumerRecord<String, V>> matching,
                           Predicate<List<ConsumerRecord<String, V>>> enough) {
    return readRecords(topic, values, matching, enough, TIMEOUT).stream().map(ConsumerRecord::value).toList();
  }

  private <V> List<ConsumerRecord<String, V>> readRecords(String topic, Deserializer<V> values,
                                                          Predicate<ConsumerRecord<String, V>> matching,
                                                          Predicate<List<ConsumerRecord<String, V>>> enough,
                                                          Duration timeout) {
    // other tests on this broker write undecodable records on purpose; those are no one's transfer
    Deserializer<V> tolerant = (name, bytes) -> {
      try {
        return values.deserialize(name, bytes);
      } catch (RuntimeException undecodable) {
        return null;
      }
    };
    return TopicReader.read(node.clientProperties(), topic, Serdes.String().deserializer(), tolerant,
        record -> record.value() != null && matching.test(record), enough, timeout);
  }
}
