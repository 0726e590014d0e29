package io.ledgerstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.faults.LedgerLog.Entry;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.PoisonRecordHandler;
import io.ledgerstream.streams.RecordJson;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.TargetDirs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier on what the production command side writes (in a TopologyTestDriver, fed by the fault tests' own
 * command mix and poison): it finds nothing wrong there, and it finds each kind of damage done to that output.
 */
class LedgerVerifierTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGISTRY_SCOPE = "verifier-" + UUID.randomUUID();
  private static final String RUN = "run" + UUID.randomUUID().toString().substring(0, 8);
  private static final Topics TOPICS =
      new Topics(new RegistryRecordSerdes(InMemorySchemaRegistry.scope(REGISTRY_SCOPE), true));
  private static final List<Written> WRITTEN = new ArrayList<>();
  private static final List<PoisonRecord> POISON = new ArrayList<>();
  private static final List<HostileRecord> HOSTILE = new ArrayList<>();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private LedgerLog log;

  /** A record on one of the ledger's topics, at its offset in the one partition the driver has. */
  private record Written(String topic, long offset, byte[] key, byte[] value, Headers headers, long timestamp) {}

  @BeforeAll
  static void runTheCommandSide() {
    WRITTEN.addAll(runCommandSide(false, POISON, HOSTILE));
  }

  /**
   * Runs the production command side on the fault tests' own honest mix with poison and hostile rounds among it, and
   * returns everything on its topics, at the offsets the driver gave them.
   *
   * @param claims whether the hostile rounds reuse command ids and forge the worker's ids too
   */
  private static List<Written> runCommandSide(boolean claims, List<PoisonRecord> poison, List<HostileRecord> hostile) {
    List<Written> written = new ArrayList<>();
    Map<String, Long> offsets = new HashMap<>();
    try (TopologyTestDriver driver = new TopologyTestDriver(
        CommandTopology.build(TOPICS, new RegistryRecordSerdes(InMemorySchemaRegistry.scope(REGISTRY_SCOPE), true),
            CommandSideConfig.DEFAULTS),
        StreamsSettings.exactlyOnce("verifier-test", Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
            TargetDirs.fresh("verifier-test")),
        T0)) {
      CommandMix mix = new CommandMix(RUN, TOPICS, 42, true);
      HostileMix hostileMix = new HostileMix(RUN, TOPICS, mix, 43);
      PoisonMix poisonMix = new PoisonMix(TOPICS, InMemorySchemaRegistry.scope(REGISTRY_SCOPE));
      for (int i = 0; i < 600; i++) {
        send(driver, mix.next(), written, offsets);
        if (i % 100 == 50) {
          PoisonRecord record = poisonMix.kinds().get(i / 100 % 4).apply(mix.anyAccountOrNew());
          poison.add(record);
          send(driver, record.record(), written, offsets);
        }
        if (i % 40 == 20) {
          HostileMix.Round round = hostileMix.next(T0.plusMillis(written.size()).toEpochMilli());
          send(driver, round.bait(), written, offsets);
          round.honest().forEach(timed -> send(driver, timed.record(), written, offsets));
          List<HostileRecord> sent = claims ? round.allHostile() : round.hostile();
          sent.forEach(record -> send(driver, record.record(), written, offsets));
          hostile.addAll(sent);
        }
      }
      collectOutputs(driver, written, offsets);
    }
    // TopologyTestDriver skips undecodable records without producing the handler's dead letters; add them as the
    // command side on a broker writes them
    for (PoisonRecord record : poison) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(PoisonRecordHandler.HEADER_TOPIC, record.record().topic().getBytes(StandardCharsets.UTF_8));
      written.add(new Written(Topics.DLQ, offsets.merge(Topics.DLQ, 1L, Long::sum) - 1, record.record().key().get(),
          record.record().value().get(), headers, T0.toEpochMilli()));
    }
    return written;
  }

  @AfterAll
  static void dropRegistry() {
    InMemorySchemaRegistry.drop(REGISTRY_SCOPE);
  }

  /** A fresh log of what the command side wrote, for each test to damage in its own way. */
  @BeforeEach
  void readTheLog() {
    log = logOf(WRITTEN);
  }

  private static LedgerLog logOf(List<Written> written) {
    LedgerLog log = new LedgerLog(RUN, TOPICS);
    written.forEach(record -> log.add(record.topic(), 0, record.offset(), record.key(), record.value(),
        record.headers(), record.timestamp(), TimestampType.LOG_APPEND_TIME));
    return log;
  }

  @Test
  void findsNothingWrongWithWhatTheCommandSideWrote() {
    LedgerVerifier.Verification verification = LedgerVerifier.verify(log, POISON, HOSTILE, snapshotsAsProjections());

    assertThat(verification.violations()).as(verification.report(20)).isEmpty();
    assertThat(HOSTILE).extracting(HostileRecord::expectedCode).contains("RESERVED_COMMAND", "INVALID_INPUT");
    assertThat(log.deadLetters).hasSize(POISON.size());
    assertThat(log.results).extracting(result -> result.value().getStatus())
        .contains(CommandStatus.ACCEPTED, CommandStatus.REJECTED);
  }

  @Test
  void findsNothingWrongWhenClientsReuseCommandIdsAndForgeTheWorkersIds() {
    List<PoisonRecord> poison = new ArrayList<>();
    List<HostileRecord> hostile = new ArrayList<>();
    LedgerLog claimed = logOf(runCommandSide(true, poison, hostile));

    LedgerVerifier.Verification verification = LedgerVerifier.verify(claimed, poison, hostile, null);

    assertThat(verification.violations()).as(verification.report(20)).isEmpty();
    assertThat(hostile).extracting(HostileRecord::expectedCode)
        .contains(HostileMix.COMMAND_ID_REUSED, HostileMix.RESERVED_COMMAND_ID);
  }

  @Test
  void reportsAHostileCommandThatWasExecuted() {
    Entry<CommandResult> refusal = resultOf(hostile("worker-only RefundTransfer"));
    replace(refusal, CommandResult.newBuilder(refusal.value()).setStatus(CommandStatus.ACCEPTED).setRejection(null)
        .build());

    assertThat(violations()).anyMatch(v -> v.contains("worker-only RefundTransfer") && v.contains("answered ACCEPTED")
        && v.contains("must be REJECTED RESERVED_COMMAND"));
  }

  @Test
  void reportsAHostileCommandRefusedWithAnotherCode() {
    HostileRecord malformed = HOSTILE.stream().filter(record -> record.expectedCode().equals("INVALID_INPUT"))
        .findFirst().orElseThrow();
    Entry<CommandResult> refusal = resultOf(malformed);
    replace(refusal, CommandResult.newBuilder(refusal.value())
        .setRejection(new io.ledgerstream.avro.Rejection("INVALID_AMOUNT", "forged")).build());

    assertThat(violations()).anyMatch(v -> v.contains(malformed.kind()) && v.contains("REJECTED INVALID_AMOUNT")
        && v.contains("must be REJECTED INVALID_INPUT"));
  }

  @Test
  void reportsAHostileCommandWithoutResult() {
    Entry<CommandResult> refusal = resultOf(hostile("worker-only CreditForTransfer"));
    log.results.remove(refusal);

    assertThat(violations()).anyMatch(v -> v.contains("worker-only CreditForTransfer")
        && v.contains("has 0 result(s) naming its own account"));
  }

  @Test
  void reportsMoneyMovedByAHostileCommand() {
    LedgerLog.Command forged = commandOf(hostile("worker-only RefundTransfer"));
    Entry<AccountEvent> deposit = log.accountEvents.stream()
        .filter(event -> event.value().getPayload() instanceof MoneyDeposited).findFirst().orElseThrow();
    deposit.value().getMetadata().setCommandId(forged.commandId());

    assertThat(violations()).anyMatch(v -> v.contains("MoneyDeposited at " + deposit.where())
        && v.contains("caused by command " + forged.commandId() + ", which no honest client sent"));
  }

  @Test
  void reportsAnEventStampedWithAClientsClock() {
    Entry<AccountEvent> deposit = log.accountEvents.stream()
        .filter(event -> event.value().getPayload() instanceof MoneyDeposited).findFirst().orElseThrow();
    Instant daysAgo = T0.minus(HostileMix.PAST);
    deposit.value().getMetadata().setOccurredAt(daysAgo);

    assertThat(violations()).anyMatch(v -> v.contains("account event at " + deposit.where() + " occurred at "
        + daysAgo) && v.contains("a client's clock"));
  }

  @Test
  void reportsACommandRecordStampedByItsProducer() {
    LedgerLog stampedByProducers = new LedgerLog(RUN, TOPICS);
    WRITTEN.forEach(record -> stampedByProducers.add(record.topic(), 0, record.offset(), record.key(), record.value(),
        record.headers(), record.timestamp(), TimestampType.CREATE_TIME));

    assertThat(LedgerVerifier.verify(stampedByProducers, POISON, HOSTILE, null).violations())
        .anyMatch(v -> v.startsWith("command record " + Topics.ACCOUNT_COMMANDS) && v.contains("producer's timestamp"));
  }

  @Test
  void reportsAnEventRecordedTwice() {
    Entry<AccountEvent> event = log.accountEvents.get(log.accountEvents.size() / 2);
    log.accountEvents.add(new Entry<>(event.topic(), event.partition(), Long.MAX_VALUE, event.key(), event.value()));

    assertThat(violations()).anyMatch(v -> v.contains("appears more than once"))
        .anyMatch(v -> v.contains("versions must run 1, 2, 3"));
  }

  @Test
  void reportsALostEvent() {
    Entry<AccountEvent> lost = log.accountEvents.stream()
        .filter(event -> event.value().getMetadata().getAggregateVersion() == 2).findFirst().orElseThrow();
    log.accountEvents.remove(lost);

    assertThat(violations()).anyMatch(v -> v.contains(lost.key()) && v.contains("has version 3"))
        .anyMatch(v -> v.contains(lost.value().getMetadata().getEventId()) && v.contains("on no event topic"));
  }

  @Test
  void reportsACommandWithoutResult() {
    Entry<CommandResult> lost = log.results.remove(log.results.size() - 1);

    assertThat(violations()).anyMatch(v -> v.contains(lost.key()) && v.contains("has no result"));
  }

  @Test
  void reportsACommandProcessedTwiceWithDifferentOutcomes() {
    Entry<CommandResult> accepted = log.results.stream()
        .filter(result -> result.value().getStatus() == CommandStatus.ACCEPTED).findFirst().orElseThrow();
    CommandResult second = CommandResult.newBuilder(accepted.value()).setVersion(accepted.value().getVersion() + 1).build();
    log.results.add(new Entry<>(accepted.topic(), 0, Long.MAX_VALUE, accepted.key(), second, accepted.source()));

    assertThat(violations()).anyMatch(v -> v.contains(accepted.key()) && v.contains("2 different results"))
        .anyMatch(v -> v.contains(accepted.key()) && v.contains("processed exactly once"));
  }

  @Test
  void reportsACommandAnsweredWithTheResultOfAnotherRecord() {
    List<Entry<CommandResult>> sourced = log.results.stream().filter(result -> result.source() != null).toList();
    Entry<CommandResult> moved = sourced.get(0);
    Entry<CommandResult> other = sourced.get(sourced.size() - 1);
    replace(moved, CommandResult.newBuilder(moved.value()).setSource(other.source()).build());

    assertThat(violations())
        .anyMatch(v -> v.contains(moved.value().getCommandId()) && v.contains("has 0 result(s) of its own"))
        .anyMatch(v -> v.contains(other.value().getCommandId()) && v.contains("has 2 result(s) of its own"));
  }

  @Test
  void reportsAResultOfAClientsCommandThatNamesNoSource() {
    Entry<CommandResult> result = log.results.stream().filter(entry -> entry.source() != null).findFirst()
        .orElseThrow();
    log.results.set(log.results.indexOf(result), new Entry<>(result.topic(), result.partition(), result.offset(),
        result.key(), CommandResult.newBuilder(result.value()).setSource(null).build(), null));

    assertThat(violations())
        .anyMatch(v -> v.contains(result.value().getCommandId()) && v.contains("has 0 result(s) of its own"))
        .anyMatch(v -> v.contains(result.value().getCommandId()) && v.contains("which no command record of the run"));
  }

  @Test
  void reportsASnapshotThatIsNotTheFoldOfTheEvents() {
    int last = log.accountStates.size() - 1;
    Entry<AccountState> snapshot = log.accountStates.get(last);
    AccountState wrong = AccountState.newBuilder(snapshot.value())
        .setBalanceMinor(snapshot.value().getBalanceMinor() + 1).build();
    log.accountStates.set(last, new Entry<>(snapshot.topic(), snapshot.partition(), snapshot.offset(), snapshot.key(),
        wrong));

    assertThat(violations()).anyMatch(v -> v.contains(snapshot.key()) && v.contains("snapshot")
        && v.contains("differs from the fold"));
  }

  @Test
  void reportsAStaleSnapshotWrittenAfterNewerOnes() {
    String account = log.accountEvents.stream()
        .max(Comparator.comparingLong(event -> event.value().getMetadata().getAggregateVersion())).orElseThrow().key();
    Entry<AccountState> first = log.accountStates.stream().filter(state -> state.key().equals(account)).findFirst()
        .orElseThrow();
    log.accountStates.add(new Entry<>(first.topic(), first.partition(), Long.MAX_VALUE, account, first.value()));

    assertThat(violations()).anyMatch(v -> v.contains(account) && v.contains("has version 1 after version"))
        .anyMatch(v -> v.contains(account) && v.contains("latest snapshot is at version 1"));
  }

  @Test
  void reportsAStepTheTransferWorkerSentAgainThatWasNotAnsweredAgain() {
    LedgerLog.Command workerCommand = log.commands.stream()
        .filter(command -> "transfer-worker".equals(command.issuedBy())).findFirst().orElseThrow();
    Entry<RawRecord> sent = workerCommand.entry();
    log.add(sent.topic(), sent.partition(), Long.MAX_VALUE, sent.value().key().get(), sent.value().value().get(), null);

    assertThat(violations())
        .anyMatch(v -> v.contains(workerCommand.commandId()) && v.contains("processed exactly once"))
        .noneMatch(v -> v.contains("not all of them the same command"));
  }

  @Test
  void reportsAStepTheTransferWorkerSentAgainAsAnotherCommandUnderTheSameId() {
    LedgerLog.Command workerCommand = log.commands.stream()
        .filter(command -> "transfer-worker".equals(command.issuedBy())).findFirst().orElseThrow();
    Entry<RawRecord> sent = workerCommand.entry();
    byte[] changed = sent.value().value().get().clone();
    // the last byte is a character of the payload's last text: the copy still decodes, under the same command id
    changed[changed.length - 1]++;
    log.add(sent.topic(), sent.partition(), Long.MAX_VALUE, sent.value().key().get(), changed, null);

    assertThat(violations()).anyMatch(v -> v.contains(workerCommand.commandId())
        && v.contains("sent 2 times by the transfer worker, not all of them the same command"));
  }

  @Test
  void reportsAnEventRewrittenAfterItsSnapshot() {
    Entry<AccountEvent> deposit = log.accountEvents.stream()
        .filter(event -> event.value().getPayload() instanceof MoneyDeposited).findFirst().orElseThrow();
    ((MoneyDeposited) deposit.value().getPayload()).setAmountMinor(-1_000_000L);

    assertThat(violations()).anyMatch(v -> v.contains(deposit.key()) && v.contains("differs from the fold"));
  }

  @Test
  void reportsMoneyLostInATransfer() {
    Entry<AccountEvent> credit = log.accountEvents.stream()
        .filter(event -> event.value().getPayload() instanceof TransferCredited).findFirst().orElseThrow();
    TransferCredited payload = (TransferCredited) credit.value().getPayload();
    payload.setAmountMinor(payload.getAmountMinor() - 1);

    assertThat(violations())
        .anyMatch(v -> v.contains("transfer " + payload.getTransferId()) && v.contains("leave 1 debited"))
        .anyMatch(v -> v.startsWith("money is not conserved"));
  }

  @Test
  void reportsPoisonThatWasNotDeadLetteredAndDeadLettersThatWereNoPoison() {
    Entry<RawRecord> letter = log.deadLetters.remove(0);
    log.deadLetters.add(new Entry<>(Topics.DLQ, 0, Long.MAX_VALUE, log.commands.get(0).entry().key(),
        log.commands.get(0).entry().value()));

    assertThat(violations()).anyMatch(v -> v.contains("dead-lettered 0 time(s)") && v.contains(letter.value().toString()))
        .anyMatch(v -> v.contains("is no poison this run injected"));
  }

  @Test
  void reportsAProjectionThatDisagreesWithTheEvents() {
    String account = log.accountStates.get(0).key();
    ProjectionReader offByOne = new ProjectionReader() {
      @Override
      public Reading account(String accountId, long minVersion) {
        Reading reading = snapshotsAsProjections().account(accountId, minVersion);
        if (accountId.equals(account)) {
          ((ObjectNode) reading.body()).put("balanceMinor", reading.body().get("balanceMinor").asLong() + 1);
        }
        return reading;
      }

      @Override
      public Reading transfer(String transferId, long minVersion) {
        return snapshotsAsProjections().transfer(transferId, minVersion);
      }
    };

    assertThat(LedgerVerifier.verify(log, POISON, HOSTILE, offByOne).violations())
        .singleElement().asString().contains("account " + account).contains("balanceMinor");
  }

  private static HostileRecord hostile(String kind) {
    return HOSTILE.stream().filter(record -> record.kind().equals(kind)).findFirst().orElseThrow();
  }

  private LedgerLog.Command commandOf(HostileRecord record) {
    return log.commands.stream().filter(command -> command.entry().value().equals(record.record())).findFirst()
        .orElseThrow();
  }

  /** The result the command side wrote for a hostile record: its own, naming its aggregate. */
  private Entry<CommandResult> resultOf(HostileRecord record) {
    LedgerLog.Command command = commandOf(record);
    return log.results.stream().filter(result -> result.value().getCommandId().equals(command.commandId())
        && result.value().getAggregateId().equals(command.entry().key())).findFirst().orElseThrow();
  }

  private void replace(Entry<CommandResult> result, CommandResult with) {
    log.results.set(log.results.indexOf(result), new Entry<>(result.topic(), result.partition(), result.offset(),
        result.key(), with, with.getSource()));
  }

  private List<String> violations() {
    return LedgerVerifier.verify(log, POISON, HOSTILE, snapshotsAsProjections()).violations();
  }

  /** The latest snapshots as the projections would serve them, so an untouched run has equal projections. */
  private ProjectionReader snapshotsAsProjections() {
    return new ProjectionReader() {
      @Override
      public Reading account(String accountId, long minVersion) {
        return latest(log.accountStates, accountId);
      }

      @Override
      public Reading transfer(String transferId, long minVersion) {
        return latest(log.transferStates, transferId);
      }

      private <V extends IndexedRecord> Reading latest(List<Entry<V>> states, String id) {
        return states.stream().filter(state -> state.key().equals(id)).reduce((first, second) -> second)
            .map(state -> Reading.of(JSON.valueToTree(RecordJson.toMap(state.value()))))
            .orElse(Reading.failed("no " + id));
      }
    };
  }

  /**
   * Pipes a record in with the driver's clock, whatever timestamp its producer chose: on a broker the command topics
   * are stamped with the append time, which the driver does not do for them.
   */
  private static void send(TopologyTestDriver driver, RawRecord record, List<Written> written,
                           Map<String, Long> offsets) {
    TestInputTopic<byte[], byte[]> input = driver.createInputTopic(record.topic(), new ByteArraySerializer(),
        new ByteArraySerializer());
    Instant appended = T0.plusMillis(written.size());
    input.pipeInput(new TestRecord<>(record.key().get(), record.value().get(), null, appended));
    written.add(new Written(record.topic(), offsets.merge(record.topic(), 1L, Long::sum) - 1, record.key().get(),
        record.value().get(), null, appended.toEpochMilli()));
  }

  /**
   * Every record the command side wrote, the transfer worker's commands included, as a consumer of its topics would
   * read them.
   */
  private static void collectOutputs(TopologyTestDriver driver, List<Written> written, Map<String, Long> offsets) {
    for (String topic : TOPICS.all().stream().map(Topic::name).toList()) {
      for (TestRecord<byte[], byte[]> record : driver.createOutputTopic(topic, new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).readRecordsToList()) {
        written.add(new Written(topic, offsets.merge(topic, 1L, Long::sum) - 1, record.key(), record.value(),
            record.headers(), record.timestamp()));
      }
    }
  }
}
