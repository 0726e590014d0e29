package io.ledgerstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ledgerstream.Ledger;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.counter.CounterType;
import io.ledgerstream.counter.avro.CounterCommand;
import io.ledgerstream.counter.avro.CounterEvent;
import io.ledgerstream.counter.avro.CounterReset;
import io.ledgerstream.counter.avro.CounterState;
import io.ledgerstream.counter.avro.Increment;
import io.ledgerstream.counter.avro.Incremented;
import io.ledgerstream.counter.avro.Reset;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.AggregateTopics;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.projection.CorrelationEntry;
import io.ledgerstream.streams.projection.ProjectionQueries;
import io.ledgerstream.streams.projection.ProjectionStores;
import io.ledgerstream.streams.projection.ProjectionTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A third aggregate type, registered by a test fixture (a counter), run by the production command side and
 * projections with no line of generic code changed: events, snapshots, results, retries, expected versions, poison.
 */
class CounterTopologyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final String scope = "counter-" + UUID.randomUUID();
  private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(scope);
  private final RegistryRecordSerdes serdes = new RegistryRecordSerdes(registry, true);
  private final Topics topics = new Topics(serdes, Ledger.with(CounterType.TYPE));
  private final AggregateTopics<CounterCommand, CounterEvent, CounterState> counters = topics.of(CounterType.TYPE);
  private final TopologyTestDriver driver = new TopologyTestDriver(
      CommandTopology.build(topics, serdes, CommandSideConfig.DEFAULTS),
      StreamsSettings.exactlyOnce("counter-test", Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
          Path.of("target", "kafka-streams", scope)),
      T0);
  private final TestInputTopic<String, CounterCommand> commands = driver.createInputTopic(counters.commands().name(),
      Serdes.String().serializer(), counters.commands().valueSerde().serializer());
  private final TestInputTopic<String, byte[]> rawCommands = driver.createInputTopic(counters.commands().name(),
      Serdes.String().serializer(), Serdes.ByteArray().serializer());
  private final TestOutputTopic<String, CounterEvent> events = driver.createOutputTopic(counters.events().name(),
      Serdes.String().deserializer(), counters.events().valueSerde().deserializer());
  private final TestOutputTopic<String, CounterState> state = driver.createOutputTopic(counters.state().name(),
      Serdes.String().deserializer(), counters.state().valueSerde().deserializer());
  private final TestOutputTopic<String, CommandResult> results = driver.createOutputTopic(Topics.COMMAND_RESULTS,
      Serdes.String().deserializer(), topics.commandResults.valueSerde().deserializer());

  @AfterEach
  void close() {
    driver.close();
    InMemorySchemaRegistry.drop(scope);
  }

  @Test
  void anIncrementRecordsItsEventTheSnapshotAndAnAcceptedResult() {
    CounterCommand increment = command(new Increment(5L));

    commands.pipeInput("C-1", increment, T0);

    TestRecord<String, CounterEvent> event = events.readRecord();
    assertThat(event.key()).isEqualTo("C-1");
    assertThat(event.value().getPayload()).isEqualTo(new Incremented(5L));
    assertThat(event.value().getMetadata().getAggregateVersion()).isEqualTo(1);
    assertThat(event.value().getMetadata().getEventId()).isEqualTo(uuid("counter/C-1/1"));
    assertThat(event.value().getMetadata().getCorrelationId()).isEqualTo(increment.getMetadata().getCommandId());
    assertThat(state.readKeyValue().value).isEqualTo(new CounterState("C-1", 5L, 1L));
    CommandResult result = results.readValue();
    assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(result.getAggregateType()).isEqualTo("counter");
    assertThat(result.getAggregateId()).isEqualTo("C-1");
    assertThat(result.getVersion()).isEqualTo(1);
    assertThat(result.getEventIds()).containsExactly(event.value().getMetadata().getEventId());
  }

  @Test
  void aResetRecordsTheValueItLeftAndTheCounterStartsAgainFromZero() {
    commands.pipeInput("C-1", command(new Increment(3L)), T0);
    commands.pipeInput("C-1", command(new Increment(4L)), T0);
    commands.pipeInput("C-1", command(new Reset()), T0);
    commands.pipeInput("C-1", command(new Increment(2L)), T0);

    assertThat(events.readValuesToList()).extracting(CounterEvent::getPayload)
        .containsExactly(new Incremented(3L), new Incremented(4L), new CounterReset(7L), new Incremented(2L));
    assertThat(state.readValuesToList()).extracting(CounterState::getValue, CounterState::getVersion)
        .containsExactly(tuple(3L, 1L), tuple(7L, 2L),
            tuple(0L, 3L), tuple(2L, 4L));
  }

  @Test
  void aRejectedCommandRecordsNoEventAndTakesNoVersion() {
    commands.pipeInput("C-1", command(new Reset()), T0);
    commands.pipeInput("C-1", command(new Increment(1L)), T0);
    commands.pipeInput("C-1", command(new Increment(0L)), T0);

    List<CommandResult> written = results.readValuesToList();
    assertThat(written).extracting(CommandResult::getStatus)
        .containsExactly(CommandStatus.REJECTED, CommandStatus.ACCEPTED, CommandStatus.REJECTED);
    assertThat(written.get(0).getRejection().getCode()).isEqualTo("INVALID_COMMAND");
    assertThat(written.get(0).getVersion()).isZero();
    assertThat(written.get(2).getRejection().getCode()).isEqualTo("INVALID_AMOUNT");
    assertThat(written.get(2).getVersion()).isEqualTo(1);
    assertThat(events.readValuesToList()).hasSize(1);
    assertThat(state.readValuesToList()).hasSize(1);
  }

  @Test
  void aRetriedCommandGetsItsOriginalResultAndRecordsNothingNew() {
    CounterCommand increment = command(new Increment(5L));
    commands.pipeInput("C-1", increment, T0);
    commands.pipeInput("C-1", increment, T0.plusSeconds(30));

    List<CommandResult> written = results.readValuesToList();
    assertThat(written).hasSize(2);
    assertThat(written.get(1)).usingRecursiveComparison().ignoringFields("source").isEqualTo(written.get(0));
    assertThat(written).extracting(CommandResult::getSource)
        .containsExactly("ledger.counter.commands/0/0", "ledger.counter.commands/0/1");
    assertThat(events.readValuesToList()).hasSize(1);
    KeyValueStore<String, CounterState> aggregates = driver.getKeyValueStore("counter-aggregates");
    assertThat(aggregates.get("C-1").getValue()).isEqualTo(5);
  }

  @Test
  void aStaleExpectedVersionIsAVersionConflict() {
    commands.pipeInput("C-1", command(new Increment(5L)), T0);
    CounterCommand stale = command(new Increment(1L));
    stale.getMetadata().setExpectedVersion(0L);
    CounterCommand current = command(new Increment(1L));
    current.getMetadata().setExpectedVersion(1L);

    commands.pipeInput("C-1", stale, T0);
    commands.pipeInput("C-1", current, T0);

    List<CommandResult> written = results.readValuesToList();
    assertThat(written.get(1).getRejection().getCode()).isEqualTo("VERSION_CONFLICT");
    assertThat(written.get(2).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(written.get(2).getVersion()).isEqualTo(2);
  }

  @Test
  void poisonIsSkippedAndTheNextCommandRuns() {
    rawCommands.pipeInput("C-1", "not avro at all".getBytes(StandardCharsets.UTF_8), T0);
    commands.pipeInput(null, command(new Increment(9L)), T0);
    commands.pipeInput("C-1", command(new Increment(1L)), T0);

    // the test driver drops a deserialization handler's dead letters; CommandSideBrokerTest shows them on a broker
    assertThat(results.readValuesToList()).singleElement()
        .satisfies(result -> assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED));
    assertThat(events.readValuesToList()).extracting(CounterEvent::getPayload).containsExactly(new Incremented(1L));
  }

  @Test
  void theLedgersOwnTypesRunBesideIt() {
    TestInputTopic<String, io.ledgerstream.avro.AccountCommand> accountCommands = driver.createInputTopic(
        Topics.ACCOUNT_COMMANDS, Serdes.String().serializer(), topics.accountCommands.valueSerde().serializer());
    TestOutputTopic<String, AccountEvent> accountEvents = driver.createOutputTopic(Topics.ACCOUNT_EVENTS,
        Serdes.String().deserializer(), topics.accountEvents.valueSerde().deserializer());

    accountCommands.pipeInput("A-1", Commands.open("alice", "EUR", 0), T0);
    commands.pipeInput("A-1", command(new Increment(2L)), T0);

    assertThat(accountEvents.readValuesToList()).hasSize(1);
    assertThat(events.readValuesToList()).hasSize(1);
    assertThat(results.readValuesToList()).extracting(CommandResult::getAggregateType)
        .containsExactly("account", "counter");
  }

  @Test
  void theProjectionsKeepItsHistoryCountItsEventsAndCorrelateIt() {
    CounterCommand first = command(new Increment(3L));
    commands.pipeInput("C-1", first, T0);
    commands.pipeInput("C-1", command(new Reset()), T0);
    List<TestRecord<String, CounterEvent>> written = events.readRecordsToList();
    List<TestRecord<String, CommandResult>> answered = results.readRecordsToList();

    String projectionScope = scope + "-projections";
    try (TopologyTestDriver projections = new TopologyTestDriver(ProjectionTopology.build(topics, serdes),
        StreamsSettings.projections(StreamsSettings.PROJECTIONS_APPLICATION_ID,
            Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
            Path.of("target", "kafka-streams", projectionScope)), T0)) {
      projections.createInputTopic(counters.commands().name(), Serdes.String().serializer(),
          counters.commands().valueSerde().serializer()).pipeInput("C-1", first, T0);
      TestInputTopic<String, CounterEvent> eventInput = projections.createInputTopic(counters.events().name(),
          Serdes.String().serializer(), counters.events().valueSerde().serializer());
      written.forEach(event -> eventInput.pipeInput(event.key(), event.value(), T0));
      written.forEach(event -> eventInput.pipeInput(event.key(), event.value(), T0));
      TestInputTopic<String, CommandResult> resultInput = projections.createInputTopic(Topics.COMMAND_RESULTS,
          Serdes.String().serializer(), topics.commandResults.valueSerde().serializer());
      answered.forEach(result -> resultInput.pipeInput(result.key(), result.value(), T0));

      KeyValueStore<String, CounterEvent> history = projections.getKeyValueStore(ProjectionStores.history("counter"));
      assertThat(ProjectionQueries.history(history, "C-1", 1, 10)).extracting(CounterEvent::getPayload)
          .containsExactly(new Incremented(3L), new CounterReset(3L));
      KeyValueStore<String, Long> counts = projections.getKeyValueStore(ProjectionStores.COUNTS);
      assertThat(counts.get("events.counter.Incremented")).isEqualTo(1);
      assertThat(counts.get("events.counter.CounterReset")).isEqualTo(1);
      KeyValueStore<String, CorrelationEntry> correlations =
          projections.getKeyValueStore(ProjectionStores.CORRELATIONS);
      String correlationId = first.getMetadata().getCommandId();
      assertThat(ProjectionQueries.correlation(correlations, correlationId))
          .extracting(CorrelationEntry::kind, CorrelationEntry::aggregateType, CorrelationEntry::type)
          .containsExactly(
              tuple(CorrelationEntry.Kind.COMMAND, "counter", "Increment"),
              tuple(CorrelationEntry.Kind.EVENT, "counter", "Incremented"),
              tuple(CorrelationEntry.Kind.RESULT, "counter", "ACCEPTED"));
    }
  }

  private static CounterCommand command(Object payload) {
    CommandMetadata metadata = Commands.metadata(UUID.randomUUID().toString());
    return new CounterCommand(metadata, payload);
  }

  private static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
