package io.ledgerstream.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.registry.AvroSerde;
import io.ledgerstream.registry.HttpSchemaRegistryClient;
import io.ledgerstream.registry.dev.DevSchemaRegistry;
import io.ledgerstream.registry.dev.InMemoryDevSchemaStore;
import io.ledgerstream.streams.PoisonRecordHandler;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.testing.RegistryOutage;
import io.ledgerstream.testing.TargetDirs;
import io.ledgerstream.transfer.TransferType;
import io.ledgerstream.transfer.worker.TransferDeadlines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command side while its schema registry goes away and comes back, on a real broker: commands written with a
 * schema the node has never seen wait for the registry instead of being dead-lettered, the others are processed
 * whole once it is back, and a record naming a schema id that does not exist is still dead-lettered.
 */
class RegistryOutageTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long OPENING_DEPOSIT = 10_000;
  private static final long NEW_SCHEMA_DEPOSIT = 1_000;

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> accounts = IntStream.range(0, 4).mapToObj(i -> "outage-" + run + "-A" + i).toList();
  private final String poisonKey = "outage-" + run + "-poison";
  private final List<String> commandIds = new ArrayList<>();
  private DevSchemaRegistry registry;
  private RegistryOutage outage;
  private HttpSchemaRegistryClient direct;
  private LedgerNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (outage != null) {
      outage.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aRegistryOutageDelaysCommandsButLosesNoneAndDeadLettersOnlyPoison() throws Exception {
    registry = DevSchemaRegistry.start(0, new InMemoryDevSchemaStore());
    outage = RegistryOutage.inFrontOf(registry.url());
    direct = HttpSchemaRegistryClient.forUrl(registry.url());
    node = LedgerNode.start(NodeSettings.builder().bootstrapServers(RealKafka.bootstrapServers())
        .schemaRegistryUrl(outage.url()).autoRegisterSchemas(true).dataDir(TargetDirs.fresh("registry-outage"))
        .kafkaPort(0).registryPort(0).httpPort(0).partitions(NodeSettings.DEFAULT_PARTITIONS).replicationFactor(null)
        // no step of a transfer is sent twice within this test, so each command has one result to count
        .typeSettings(new TransferDeadlines(Duration.ofMinutes(10), 5).config())
        // a failed task's rebalance waits for the dead thread's session to end: 10 s here rather than 45 s
        .clientProperties(Map.of("session.timeout.ms", "10000"))
        .build());
    // each account is open before money goes in
    for (String account : accounts) {
      sendAccount(account, command("OpenAccount", Map.of("owner", "outage-" + run, "currency", "EUR")));
    }
    awaitResults(commandIds);
    for (String account : accounts) {
      sendAccount(account, command("DepositMoney", Map.of("amountMinor", OPENING_DEPOSIT)));
    }
    awaitResults(commandIds);

    // a client starts writing with a newer schema, which the node has never seen
    Schema newer = newerAccountCommandSchema();
    int newerId = direct.register(Topics.ACCOUNT_COMMANDS + "-value", newer);

    outage.set(RegistryOutage.Mode.REFUSE);
    List<String> newSchemaDeposits = new ArrayList<>();
    for (String account : accounts) {
      AccountCommand deposit = command("DepositMoney", Map.of("amountMinor", NEW_SCHEMA_DEPOSIT));
      newSchemaDeposits.add(deposit.getMetadata().getCommandId());
      commandIds.add(deposit.getMetadata().getCommandId());
      sendRaw(Topics.ACCOUNT_COMMANDS, account, encode(deposit, newer, newerId));
    }
    String t0 = requestTransfer(accounts.get(0), accounts.get(1), 500);
    String t1 = requestTransfer(accounts.get(2), accounts.get(3), 700);
    sendAccount(accounts.get(1), command("WithdrawMoney", Map.of("amountMinor", 300L)));
    byte[] unknownSchemaId = encode(command("DepositMoney", Map.of("amountMinor", 5L)), newer, newerId);
    ByteBuffer.wrap(unknownSchemaId, 1, 4).putInt(999_999);
    sendRaw(Topics.ACCOUNT_COMMANDS, poisonKey, unknownSchemaId);

    assertThat(results(newSchemaDeposits, Duration.ofSeconds(5)))
        .as("no command written with the newer schema is processed while the registry is away").isEmpty();
    outage.set(RegistryOutage.Mode.UNAVAILABLE);
    Thread.sleep(4_000);
    outage.set(RegistryOutage.Mode.PASS);

    awaitResults(commandIds);
    Map<String, List<CommandResult>> results = results(commandIds, Duration.ofSeconds(3));
    assertThat(results).as("one result per command").hasSize(commandIds.size())
        .allSatisfy((id, answers) -> assertThat(answers).singleElement()
            .satisfies(result -> assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED)));
    assertThat(awaitTransfers(t0, t1)).allSatisfy(
        transfer -> assertThat(transfer.getStatus()).isEqualTo(TransferStatus.COMPLETED));
    Map<String, AccountState> states = latestStates();
    assertThat(states.values()).allSatisfy(state -> assertThat(state.getTransfersInFlight()).isEmpty());
    assertThat(states.values().stream().mapToLong(AccountState::getBalanceMinor).sum())
        .as("money is conserved").isEqualTo(4 * (OPENING_DEPOSIT + NEW_SCHEMA_DEPOSIT) - 300);
    assertThat(states.get(accounts.get(0)).getBalanceMinor()).isEqualTo(OPENING_DEPOSIT + NEW_SCHEMA_DEPOSIT - 500);
    assertThat(states.get(accounts.get(3)).getBalanceMinor()).isEqualTo(OPENING_DEPOSIT + NEW_SCHEMA_DEPOSIT + 700);

    List<ConsumerRecord<String, byte[]>> dead = TopicReader.read(node.clientProperties(), Topics.DLQ,
        Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
        record -> record.key() != null && record.key().startsWith("outage-" + run), found -> false,
        Duration.ofSeconds(3));
    assertThat(dead).as("only the record naming a schema id that does not exist is dead-lettered").singleElement()
        .satisfies(letter -> {
          assertThat(letter.key()).isEqualTo(poisonKey);
          assertThat(new String(letter.headers().lastHeader(PoisonRecordHandler.HEADER_MESSAGE).value(),
              StandardCharsets.UTF_8)).contains("Unknown schema id 999999");
        });
  }

  private AccountCommand command(String type, Map<String, ?> fields) {
    return (AccountCommand) CommandFactory.envelope(AccountType.TYPE, type, fields,
        CommandFactory.metadata(null, null, null, "outage-test"));
  }

  private String requestTransfer(String from, String to, long amountMinor) throws Exception {
    String transferId = "outage-" + run + "-T-" + from.substring(from.length() - 2);
    TransferCommand request = (TransferCommand) CommandFactory.envelope(TransferType.TYPE, "RequestTransfer",
        Map.of("from", from, "to", to, "amountMinor", amountMinor, "currency", "EUR"),
        CommandFactory.metadata(null, null, null, "outage-test"));
    commandIds.add(request.getMetadata().getCommandId());
    sendRaw(Topics.TRANSFER_COMMANDS, transferId,
        node.topics().transferCommands.valueSerde().serializer().serialize(Topics.TRANSFER_COMMANDS, request));
    return transferId;
  }

  private void sendAccount(String account, AccountCommand command) throws Exception {
    commandIds.add(command.getMetadata().getCommandId());
    sendRaw(Topics.ACCOUNT_COMMANDS, account,
        node.topics().accountCommands.valueSerde().serializer().serialize(Topics.ACCOUNT_COMMANDS, command));
  }

  private void sendRaw(String topic, String key, byte[] value) throws Exception {
    Map<String, Object> props = new HashMap<>(node.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, Serdes.String().serializer(),
        Serdes.ByteArray().serializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  /** The command envelope with one more optional field, as a newer client would write it. */
  private static Schema newerAccountCommandSchema() {
    String current = AccountCommand.getClassSchema().toString();
    return new Schema.Parser().parse(current.replaceFirst("\"fields\":\\[",
        "\"fields\":[{\"name\":\"clientVersion\",\"type\":[\"null\",\"string\"],\"default\":null},"));
  }

  /** The command in the wire format, written with the newer schema under its id. */
  private byte[] encode(AccountCommand command, Schema newer, int newerId) throws IOException {
    byte[] current = node.topics().accountCommands.valueSerde().serializer().serialize(Topics.ACCOUNT_COMMANDS, command);
    GenericRecord record = new GenericDatumReader<GenericRecord>(AccountCommand.getClassSchema(), newer)
        .read(null, DecoderFactory.get().binaryDecoder(current, 5, current.length - 5, null));
    record.put("clientVersion", "2.0");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(newerId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(newer).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private void awaitResults(List<String> ids) {
    Set<String> wanted = Set.copyOf(ids);
    Set<String> answered = TopicReader.read(node.clientProperties(), Topics.COMMAND_RESULTS,
            Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), record -> wanted.contains(record.key()),
            found -> found.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(wanted), TIMEOUT)
        .stream().map(ConsumerRecord::key).collect(Collectors.toSet());
    assertThat(answered).as("commands answered within " + TIMEOUT).containsExactlyInAnyOrderElementsOf(wanted);
  }

  /** Every committed result of these commands, by command id, read for {@code wait}. */
  private Map<String, List<CommandResult>> results(List<String> ids, Duration wait) {
    Set<String> wanted = Set.copyOf(ids);
    return TopicReader.read(node.clientProperties(), Topics.COMMAND_RESULTS, Serdes.String().deserializer(),
            reader(CommandResult.class), record -> wanted.contains(record.key()), found -> false, wait)
        .stream().collect(Collectors.groupingBy(ConsumerRecord::key, LinkedHashMap::new,
            Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
  }

  private List<TransferState> awaitTransfers(String... transferIds) {
    Set<String> wanted = Set.of(transferIds);
    Map<String, TransferState> latest = new HashMap<>();
    TopicReader.read(node.clientProperties(), Topics.TRANSFER_STATE, Serdes.String().deserializer(),
        reader(TransferState.class), record -> wanted.contains(record.key()), found -> {
          found.forEach(record -> latest.put(record.key(), record.value()));
          return latest.size() == wanted.size() && latest.values().stream()
              .allMatch(state -> state.getStatus() == TransferStatus.COMPLETED);
        }, TIMEOUT);
    return List.copyOf(latest.values());
  }

  private Map<String, AccountState> latestStates() {
    Set<String> wanted = Set.copyOf(accounts);
    Map<String, AccountState> latest = new HashMap<>();
    TopicReader.read(node.clientProperties(), Topics.ACCOUNT_STATE, Serdes.String().deserializer(),
            reader(AccountState.class), record -> wanted.contains(record.key()), found -> false, Duration.ofSeconds(3))
        .forEach(record -> latest.put(record.key(), record.value()));
    return latest;
  }

  /** Reads with the registry itself, not through the outage, and skips other tests' records it cannot read. */
  private <T extends SpecificRecord> Deserializer<T> reader(Class<T> type) {
    AvroSerde<T> serde = new AvroSerde<>(type, direct, false);
    return (topic, data) -> {
      try {
        return serde.deserialize(topic, data);
      } catch (RuntimeException e) {
        return null;
      }
    };
  }
}
