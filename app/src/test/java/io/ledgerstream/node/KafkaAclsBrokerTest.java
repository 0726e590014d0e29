package io.ledgerstream.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.broker.EmbeddedKafkaBroker;
import io.ledgerstream.cli.Main;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.dlq.DeadLetter;
import io.ledgerstream.dlq.DeadLetters;
import io.ledgerstream.dlq.Redrive;
import io.ledgerstream.registry.SchemaRegistryClients;
import io.ledgerstream.registry.SchemaRegistryConfig;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.generation.GenerationSupervisor;
import io.ledgerstream.testing.TargetDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege on a real broker that authenticates (SASL/PLAIN) and authorizes (StandardAuthorizer): exactly the
 * ACLs {@code acls} prints are granted, the application runs under its principal with them, and a client principal
 * can send public commands but cannot write the events, the snapshots, the results or the internal topics.
 */
class KafkaAclsBrokerTest {

  private static final String APP = "ledgerstream";
  private static final String CLIENT = "ledger-client";
  private static final String REGISTRY = "mock://kafka-acls-test";

  private static EmbeddedKafkaBroker broker;
  private static LedgerNode node;

  @BeforeAll
  static void start() throws Exception {
    broker = new EmbeddedKafkaBroker(TargetDirs.fresh("kafka-acls-broker"), 0, 0)
        .withSaslAndAcls(Map.of("admin", "admin-secret", APP, "app-secret", CLIENT, "client-secret"), "admin")
        .start();
    List<AclBinding> printed = parse(printedAcls());
    try (Admin admin = Admin.create(broker.clientProperties("admin"))) {
      admin.createAcls(printed).all().get(30, TimeUnit.SECONDS);
    }
    node = LedgerNode.start(NodeSettings.builder().bootstrapServers(broker.bootstrapServers()).schemaRegistryUrl(REGISTRY).autoRegisterSchemas(true)
        .dataDir(TargetDirs.fresh("kafka-acls-node")).kafkaPort(0).registryPort(0).httpPort(0).partitions(2).replicationFactor((short) 1)
        .clientProperties(strings(broker.clientProperties(APP))).build());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theApplicationRunsUnderItsPrincipalWithThePrintedAclsOnly() {
    assertThat(node.commandSide().state().isRunningOrRebalancing()).isTrue();
    assertThat(node.projections().state().isRunningOrRebalancing()).isTrue();
  }

  @Test
  void aClientSendsPublicCommandsAndReadsTheirResults() {
    Topics topics = clientTopics();
    try (CommandSender sender = new CommandSender(broker.clientProperties(CLIENT), topics)) {
      String commandId = UUID.randomUUID().toString();
      CommandMetadata metadata = CommandFactory.metadata(commandId, null, null, "acl-test");
      Optional<CommandResult> result = sender.sendAndAwait("account", "A-" + commandId, CommandFactory.envelope(
          AccountType.TYPE, "OpenAccount", Map.of("owner", "alice", "currency", "EUR"), metadata), commandId,
          Duration.ofSeconds(60));

      assertThat(result).hasValueSatisfying(r -> assertThat(r.getStatus().name()).isEqualTo("ACCEPTED"));
    }
  }

  @Test
  void theApplicationReDrivesADeadLetterUnderItsPrincipalWithTheLogAndTransactionalIdItWasGranted() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(withTimeouts(broker.clientProperties(CLIENT)),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.ACCOUNT_COMMANDS, "A-poison".getBytes(StandardCharsets.UTF_8),
          "not avro".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }
    DeadLetters deadLetters = DeadLetters.open(broker.clientProperties(APP), (short) 1);
    List<DeadLetter> letters = List.of();
    for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); letters.isEmpty() && System.nanoTime() < until; ) {
      letters = deadLetters.list(null, 10).letters();
      Thread.sleep(200);
    }
    assertThat(letters).as("the poison command reaches the dead-letter topic").isNotEmpty();

    List<Redrive> made = deadLetters.redrive(List.of(letters.get(0).position()), "acl-test");

    assertThat(made).singleElement().satisfies(redrive -> {
      assertThat(redrive.by()).isEqualTo("acl-test");
      assertThat(redrive.topic()).isEqualTo(Topics.ACCOUNT_COMMANDS);
    });
    assertThat(deadLetters.show(letters.get(0).position()).redrive()).isNotNull();
  }

  @Test
  void aClientCannotWriteTheEventsTheStateTheResultsOrTheInternalTopics() {
    Topics topics = clientTopics();
    Set<String> forbidden = new LinkedHashSet<>();
    topics.all().stream().filter(topic -> !topics.clientCommands().contains(topic)).map(Topic::name)
        .forEach(forbidden::add);
    forbidden.add(GenerationSupervisor.LOG_TOPIC);
    forbidden.add(DeadLetters.REDRIVES_TOPIC);
    // the worker's own command topics, whether or not this build has them yet
    forbidden.add("ledger.account.internal-commands");
    forbidden.add("ledger.transfer.internal-commands");
    forbidden.add("ledgerstream-commands-transfer-worker-results-repartition");

    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(withTimeouts(broker.clientProperties(CLIENT)),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String topic : forbidden) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k".getBytes(), "v".getBytes()))
            .get(30, TimeUnit.SECONDS))
            .as("writing %s", topic)
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
  }

  private static Topics clientTopics() {
    return new Topics(new RegistryRecordSerdes(
        SchemaRegistryClients.create(Map.of(SchemaRegistryConfig.URL, REGISTRY)), false));
  }

  private static String printedAcls() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.run("acls", "--app-principal", "User:" + APP, "--client-principal", "User:" + CLIENT,
          "--bootstrap-servers", broker.bootstrapServers());
      assertThat(exit).isZero();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** The kafka-acls.sh commands as printed, read back into bindings; a line it cannot read fails the test. */
  static List<AclBinding> parse(String printed) {
    List<AclBinding> bindings = new ArrayList<>();
    for (String line : printed.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()) {
      List<String> words = List.of(line.trim().split("\\s+"));
      assertThat(words.get(0)).isEqualTo("kafka-acls.sh");
      String principal = null;
      ResourceType type = null;
      String name = null;
      PatternType pattern = PatternType.LITERAL;
      List<AclOperation> operations = new ArrayList<>();
      for (int i = 1; i < words.size(); i++) {
        switch (words.get(i)) {
          case "--bootstrap-server" -> i++;
          case "--add" -> { }
          case "--allow-principal" -> principal = words.get(++i);
          // kafka-acls.sh spells operations in camel case, DescribeConfigs
          case "--operation" -> operations.add(AclOperation.fromString(
              words.get(++i).replaceAll("([a-z])([A-Z])", "$1_$2")));
          case "--topic" -> { type = ResourceType.TOPIC; name = words.get(++i); }
          case "--group" -> { type = ResourceType.GROUP; name = words.get(++i); }
          case "--transactional-id" -> { type = ResourceType.TRANSACTIONAL_ID; name = words.get(++i); }
          case "--resource-pattern-type" -> pattern = PatternType.valueOf(words.get(++i).toUpperCase(Locale.ROOT));
          default -> throw new AssertionError("unexpected '" + words.get(i) + "' in: " + line);
        }
      }
      assertThat(operations).as(line).doesNotContain(AclOperation.UNKNOWN, AclOperation.ALL).isNotEmpty();
      ResourcePattern resource = new ResourcePattern(type, name, pattern);
      for (AclOperation operation : operations) {
        bindings.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation,
            AclPermissionType.ALLOW)));
      }
    }
    return bindings;
  }

  private static Map<String, Object> withTimeouts(Map<String, Object> properties) {
    Map<String, Object> config = new HashMap<>(properties);
    config.put("max.block.ms", 20_000);
    config.put("delivery.timeout.ms", 25_000);
    config.put("request.timeout.ms", 20_000);
    return config;
  }

  private static Map<String, String> strings(Map<String, Object> properties) {
    Map<String, String> strings = new HashMap<>();
    properties.forEach((key, value) -> strings.put(key, value.toString()));
    return strings;
  }
}
