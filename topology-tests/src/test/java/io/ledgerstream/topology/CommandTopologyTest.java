package io.ledgerstream.topology;

import static io.ledgerstream.topology.Commands.deposit;
import static io.ledgerstream.topology.Commands.expecting;
import static io.ledgerstream.topology.Commands.open;
import static io.ledgerstream.topology.Commands.withCommandId;
import static io.ledgerstream.topology.Commands.withCorrelation;
import static io.ledgerstream.topology.Commands.withdraw;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.account.AccountBinding;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.RequestTransfer;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.domain.account.Account;
import io.ledgerstream.streams.CommandIds;
import io.ledgerstream.streams.CommandSideConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommandTopologyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final CommandSideDriver app = new CommandSideDriver();

  @AfterEach
  void close() {
    app.close();
  }

  @Test
  void openingAnAccountRecordsTheEventTheSnapshotAndAnAcceptedResult() {
    AccountCommand command = open("alice", "EUR", 500);
    app.accountCommands.pipeInput("A-1", command, T0);

    TestRecord<String, AccountEvent> event = app.accountEvents.readRecord();
    assertThat(event.key()).isEqualTo("A-1");
    assertThat(event.value().getPayload()).isInstanceOf(io.ledgerstream.avro.AccountOpened.class);
    assertThat(event.value().getMetadata().getAggregateVersion()).isEqualTo(1);

    AccountState state = app.accountState.readValue();
    assertThat(state.getAccountId()).isEqualTo("A-1");
    assertThat(state.getOwner()).isEqualTo("alice");
    assertThat(state.getCurrency()).isEqualTo("EUR");
    assertThat(state.getOverdraftLimitMinor()).isEqualTo(500);
    assertThat(state.getBalanceMinor()).isZero();
    assertThat(state.getStatus()).isEqualTo(AccountStatus.OPEN);
    assertThat(state.getVersion()).isEqualTo(1);
    assertThat(state.getOpenedAt()).isEqualTo(T0);

    TestRecord<String, CommandResult> result = app.results.readRecord();
    assertThat(result.key()).isEqualTo(command.getMetadata().getCommandId());
    assertThat(result.value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(result.value().getAggregateType()).isEqualTo("account");
    assertThat(result.value().getAggregateId()).isEqualTo("A-1");
    assertThat(result.value().getVersion()).isEqualTo(1);
    assertThat(result.value().getEventIds()).containsExactly(event.value().getMetadata().getEventId());
  }

  @Test
  void rejectsWithdrawalBeyondOverdraftWithAResultAndNoEvent() {
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 100), T0);
    app.accountCommands.pipeInput("A-1", deposit(50), T0);
    drainAll();

    app.accountCommands.pipeInput("A-1", withdraw(151), T0);

    assertThat(app.accountEvents.isEmpty()).isTrue();
    assertThat(app.accountState.isEmpty()).isTrue();
    CommandResult result = app.results.readValue();
    assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(result.getRejection().getCode()).isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(result.getRejection().getMessage()).isNotBlank();
    assertThat(result.getVersion()).isEqualTo(2);
    assertThat(result.getEventIds()).isEmpty();
  }

  @Test
  void rejectsCommandsForAnAccountThatWasNeverOpened() {
    app.accountCommands.pipeInput("nobody", deposit(10), T0);

    assertThat(app.accountEvents.isEmpty()).isTrue();
    CommandResult result = app.results.readValue();
    assertThat(result.getRejection().getCode()).isEqualTo("ACCOUNT_NOT_FOUND");
    assertThat(result.getVersion()).isZero();
  }

  @Test
  void versionsAreContiguousFromOneAndRejectionsTakeNoVersion() {
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);
    app.accountCommands.pipeInput("A-1", deposit(100), T0);
    app.accountCommands.pipeInput("A-1", withdraw(1_000), T0);
    app.accountCommands.pipeInput("A-1", withdraw(40), T0);
    app.accountCommands.pipeInput("A-2", open("bob", "USD", 0), T0);
    app.accountCommands.pipeInput("A-1", deposit(5), T0);

    List<Long> a1 = new ArrayList<>();
    List<Long> a2 = new ArrayList<>();
    for (TestRecord<String, AccountEvent> event : app.accountEvents.readRecordsToList()) {
      (event.key().equals("A-1") ? a1 : a2).add(event.value().getMetadata().getAggregateVersion());
    }
    assertThat(a1).containsExactly(1L, 2L, 3L, 4L);
    assertThat(a2).containsExactly(1L);
  }

  @Test
  void eventMetadataNamesCommandCorrelationCausationAndTheCommandsTime() {
    AccountCommand opening = open("alice", "EUR", 0);
    AccountCommand correlated = withCorrelation(deposit(10), "journey-7");
    app.accountCommands.pipeInput("A-1", opening, T0);
    app.accountCommands.pipeInput("A-1", correlated, T0.plusSeconds(5));

    List<AccountEvent> events = app.accountEvents.readValuesToList();
    var first = events.get(0).getMetadata();
    assertThat(first.getCommandId()).isEqualTo(opening.getMetadata().getCommandId());
    assertThat(first.getCorrelationId()).isEqualTo(opening.getMetadata().getCommandId());
    assertThat(first.getCausationId()).isEqualTo(opening.getMetadata().getCommandId());
    assertThat(first.getAggregateId()).isEqualTo("A-1");
    assertThat(first.getOccurredAt()).isEqualTo(T0);

    var second = events.get(1).getMetadata();
    assertThat(second.getCorrelationId()).isEqualTo("journey-7");
    assertThat(second.getCausationId()).isEqualTo(correlated.getMetadata().getCommandId());
    assertThat(second.getOccurredAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(second.getEventId()).isNotEqualTo(first.getEventId());
    assertThat(app.results.readValuesToList()).extracting(CommandResult::getCorrelationId)
        .containsExactly(opening.getMetadata().getCommandId(), "journey-7");
  }

  @Test
  void snapshotAfterEveryChangeEqualsTheFoldOfTheEvents() {
    Random random = new Random(42);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 300), T0);
    for (int i = 0; i < 300; i++) {
      long amount = 1 + random.nextInt(200);
      app.accountCommands.pipeInput("A-1", random.nextBoolean() ? deposit(amount) : withdraw(amount), T0.plusSeconds(i));
    }

    AccountBinding binding = new AccountBinding();
    List<io.ledgerstream.domain.account.AccountEvent> history = new ArrayList<>();
    List<AccountEvent> events = app.accountEvents.readValuesToList();
    List<AccountState> snapshots = app.accountState.readValuesToList();
    assertThat(snapshots).hasSameSizeAs(events);
    for (int i = 0; i < events.size(); i++) {
      history.add(binding.event(events.get(i)));
      Account folded = binding.decider().fold(history);
      AccountState snapshot = snapshots.get(i);
      assertThat(snapshot.getVersion()).isEqualTo(i + 1);
      assertThat(snapshot.getBalanceMinor()).isEqualTo(folded.balanceMinor());
      assertThat(binding.snapshot(snapshot).state()).isEqualTo(folded);
      assertThat(snapshot.getBalanceMinor()).isGreaterThanOrEqualTo(-300);
    }
    assertThat(events.size()).isGreaterThan(100);
  }

  @Test
  void retriedCommandGetsItsOriginalResultNamingItsOwnRecordAndRecordsNothingNew() {
    AccountCommand opening = open("alice", "EUR", 0);
    AccountCommand deposit = deposit(100);
    app.accountCommands.pipeInput("A-1", opening, T0);
    app.accountCommands.pipeInput("A-1", deposit, T0);
    drainAll();

    app.accountCommands.pipeInput("A-1", deposit, T0.plusSeconds(60));

    assertThat(app.accountEvents.isEmpty()).isTrue();
    assertThat(app.accountState.isEmpty()).isTrue();
    TestRecord<String, CommandResult> replayed = app.results.readRecord();
    assertThat(replayed.key()).isEqualTo(deposit.getMetadata().getCommandId());
    assertThat(replayed.value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(replayed.value().getVersion()).isEqualTo(2);
    assertThat(replayed.value().getSource()).isEqualTo("ledger.account.commands/0/2");
  }

  @Test
  void theSameIdWithAnotherPayloadIsRefusedAsReusedAndChangesNothing() {
    AccountCommand deposit = deposit(100);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);
    app.accountCommands.pipeInput("A-1", deposit, T0);
    drainAll();

    app.accountCommands.pipeInput("A-1", withCommandId(deposit(1), deposit.getMetadata().getCommandId()), T0);

    assertRefusedAsReused(deposit.getMetadata().getCommandId(), "A-1", "ledger.account.commands/0/2");
    assertThat(app.accountEvents.isEmpty()).isTrue();
    assertThat(app.accountState.isEmpty()).isTrue();
  }

  @Test
  void theSameIdForAnotherAccountIsRefusedAsReusedAndDepositsNothing() {
    AccountCommand deposit = deposit(100);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);
    app.accountCommands.pipeInput("A-2", open("bob", "EUR", 0), T0);
    app.accountCommands.pipeInput("A-1", deposit, T0);
    drainAll();

    app.accountCommands.pipeInput("A-2", deposit, T0);

    assertRefusedAsReused(deposit.getMetadata().getCommandId(), "A-2", "ledger.account.commands/0/3");
    assertThat(app.accountEvents.isEmpty()).isTrue();
    KeyValueStore<String, AccountState> aggregates = app.driver.getKeyValueStore("account-aggregates");
    assertThat(aggregates.get("A-1").getBalanceMinor()).isEqualTo(100);
    assertThat(aggregates.get("A-2").getBalanceMinor()).isZero();
  }

  @Test
  void theSameIdForAnotherAggregateTypeIsRefusedAsReused() {
    AccountCommand opening = open("alice", "EUR", 0);
    app.accountCommands.pipeInput("A-1", opening, T0);
    drainAll();
    String commandId = opening.getMetadata().getCommandId();

    app.transferCommands.pipeInput("T-1", new TransferCommand(Commands.metadata(commandId),
        new RequestTransfer("A-1", "A-2", 5L, "EUR")), T0);

    TestRecord<String, CommandResult> refusal = app.results.readRecord();
    assertThat(refusal.value().getAggregateType()).isEqualTo("transfer");
    assertThat(refusal.value().getRejection().getCode()).isEqualTo("COMMAND_ID_REUSED");
    assertThat(app.transferEvents.isEmpty()).isTrue();
    assertThat(app.results.isEmpty()).isTrue();
  }

  @Test
  void aPublicCommandUnderAnIdOfTheApplicationsFormIsRefusedAndClaimsNothing() {
    String derived = CommandIds.derived("transfer-worker/T-1/credit");

    app.accountCommands.pipeInput("A-1", withCommandId(open("alice", "EUR", 0), derived), T0);
    app.accountCommands.pipeInput("A-1", withCommandId(open("alice", "EUR", 0), derived.toUpperCase()), T0);

    List<CommandResult> results = app.results.readValuesToList();
    assertThat(results).hasSize(2).allSatisfy(result -> {
      assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
      assertThat(result.getRejection().getCode()).isEqualTo("RESERVED_COMMAND_ID");
    });
    assertThat(app.accountState.isEmpty()).isTrue();
  }

  /**
   * The last result written is a refusal of the command written at {@code source}: keyed apart from the claimed
   * command's result, in the same partition, so compaction and the results projection keep the original.
   */
  private void assertRefusedAsReused(String commandId, String aggregateId, String source) {
    TestRecord<String, CommandResult> refusal = app.results.readRecord();
    assertThat(refusal.key()).isEqualTo(commandId + "\u0000" + source);
    assertThat(refusal.value().getCommandId()).isEqualTo(commandId);
    assertThat(refusal.value().getAggregateId()).isEqualTo(aggregateId);
    assertThat(refusal.value().getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(refusal.value().getRejection().getCode()).isEqualTo("COMMAND_ID_REUSED");
    assertThat(refusal.value().getSource()).isEqualTo(source);
    assertThat(app.results.isEmpty()).isTrue();
  }

  @Test
  void retriedRejectedCommandGetsTheSameRejection() {
    AccountCommand withdrawal = withdraw(10);
    app.accountCommands.pipeInput("A-1", withdrawal, T0);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);
    app.accountCommands.pipeInput("A-1", deposit(100), T0);
    drainAll();

    app.accountCommands.pipeInput("A-1", withdrawal, T0.plusSeconds(1));

    assertThat(app.accountEvents.isEmpty()).isTrue();
    CommandResult result = app.results.readValue();
    assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(result.getRejection().getCode()).isEqualTo("ACCOUNT_NOT_FOUND");
    assertThat(result.getVersion()).isZero();
  }

  @Test
  void commandIdsAreForgottenOnceTheDedupeWindowHasPassed() {
    try (CommandSideDriver shortMemory = new CommandSideDriver(new CommandSideConfig(Duration.ofHours(1), 64 * 1024))) {
      AccountCommand deposit = deposit(100);
      shortMemory.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);
      shortMemory.accountCommands.pipeInput("A-1", deposit, T0);
      shortMemory.accountCommands.pipeInput("A-1", deposit, T0.plus(Duration.ofMinutes(30)));
      // stream time moves well past the window, so the store's old segments are dropped
      shortMemory.accountCommands.pipeInput("A-2", open("bob", "EUR", 0), T0.plus(Duration.ofHours(5)));
      shortMemory.accountCommands.pipeInput("A-1", deposit, T0.plus(Duration.ofHours(5)));

      List<AccountEvent> events = shortMemory.accountEvents.readValuesToList();
      assertThat(events).filteredOn(event -> event.getPayload() instanceof MoneyDeposited).hasSize(2);
      // and the memory is bounded: only commands of the last hour are still stored
      KeyValueStore<String, CommandResult> memory = shortMemory.driver.getKeyValueStore("account-command-results");
      // a public command's entry: the space "p", a NUL, the command id (stored, so pinned here)
      String key = "p\u0000" + deposit.getMetadata().getCommandId();
      assertThat(memory.get(key)).isNotNull();
      shortMemory.accountCommands.pipeInput("A-2", deposit(1), T0.plus(Duration.ofHours(7)));
      assertThat(memory.get(key)).isNull();
      assertThat(countOf(memory)).isEqualTo(1);
      assertThat(shortMemory.accountState.readKeyValuesToMap().get("A-1").getBalanceMinor()).isEqualTo(200);
    }
  }

  @Test
  void aRetryOfACommandRememberedBeforeTheMemoryWasSplitByOriginIsStillAnsweredFromMemory() {
    AccountCommand deposit = deposit(100);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);
    app.accountCommands.pipeInput("A-1", deposit, T0);
    KeyValueStore<String, CommandResult> memory = app.driver.getKeyValueStore("account-command-results");
    String commandId = deposit.getMetadata().getCommandId();
    // as an earlier version stored it: under the bare command id
    memory.put(commandId, memory.delete("p\u0000" + commandId));
    drainAll();

    app.accountCommands.pipeInput("A-1", deposit, T0.plusSeconds(60));

    assertThat(app.accountEvents.isEmpty()).isTrue();
    assertThat(app.results.readValue().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
  }

  @Test
  void rejectsAStaleExpectedVersionWithVersionConflict() {
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);
    app.accountCommands.pipeInput("A-1", deposit(100), T0);
    drainAll();

    app.accountCommands.pipeInput("A-1", expecting(withdraw(10), 1), T0);
    app.accountCommands.pipeInput("A-1", expecting(withdraw(10), 2), T0);

    List<CommandResult> results = app.results.readValuesToList();
    assertThat(results.get(0).getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(results.get(0).getRejection().getCode()).isEqualTo("VERSION_CONFLICT");
    assertThat(results.get(0).getVersion()).isEqualTo(2);
    assertThat(results.get(1).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(results.get(1).getVersion()).isEqualTo(3);
    assertThat(app.accountEvents.readValuesToList()).hasSize(1);
  }

  // TopologyTestDriver does not capture the dead letters a deserialization handler returns, so these tests show the
  // poison is skipped and the next command processed; PoisonRecordHandlerTest and the broker tests check the letters.

  @Test
  void skipsGarbageBytesAndProcessesTheNextCommand() {
    app.rawAccountCommands.pipeInput("A-1", "not avro at all".getBytes(StandardCharsets.UTF_8), T0);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);

    assertOnlyTheValidCommandWasProcessed();
  }

  @Test
  void skipsAnUnknownSchemaId() {
    app.rawAccountCommands.pipeInput("A-1", new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4, 6}, T0);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);

    assertOnlyTheValidCommandWasProcessed();
  }

  @Test
  void skipsACommandOfATypeThisCodeDoesNotKnow() {
    app.registry.register("ledger.account.commands-value", AccountCommand.getClassSchema());
    byte[] future = PoisonRecords.commandOfAFutureType(app.registry, "ledger.account.commands-value");
    app.rawAccountCommands.pipeInput("A-1", future, T0);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);

    assertOnlyTheValidCommandWasProcessed();
  }

  @Test
  void skipsAnOversizedCommand() {
    AccountCommand huge = Commands.command(io.ledgerstream.avro.DepositMoney.newBuilder()
        .setAmountMinor(10).setReference("x".repeat(100_000)).build());
    app.accountCommands.pipeInput("A-1", huge, T0);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);

    assertOnlyTheValidCommandWasProcessed();
  }

  @Test
  void commandWithoutKeyOrValueIsNotDecidedAndTheNextRuns() {
    app.rawAccountCommands.pipeInput("A-1", null, T0);
    app.accountCommands.pipeInput(null, open("alice", "EUR", 0), T0);
    app.accountCommands.pipeInput("A-1", open("alice", "EUR", 0), T0);

    // the test driver drops a deserialization handler's dead letters; CommandSideBrokerTest shows them on a broker
    assertThat(app.results.readValuesToList()).singleElement()
        .satisfies(result -> assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED));
  }

  @Test
  void aCommandWithAControlCharacterInItsOwnerIsRejectedAsInvalidInputAndRecordsNothing() {
    AccountCommand command = open("alice\u0000bob", "EUR", 0);

    app.accountCommands.pipeInput("A-1", command, T0);

    CommandResult result = app.results.readValue();
    assertThat(result.getCommandId()).isEqualTo(command.getMetadata().getCommandId());
    assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(result.getRejection().getCode()).isEqualTo("INVALID_INPUT");
    assertThat(result.getRejection().getMessage()).contains("'owner'", "U+0000");
    assertThat(app.accountEvents.isEmpty()).isTrue();
    assertThat(app.accountState.isEmpty()).isTrue();
  }

  @Test
  void anOverlongAggregateIdOrCorrelationIdIsRejectedAsInvalidInput() {
    app.accountCommands.pipeInput("A".repeat(201), open("alice", "EUR", 0), T0);
    app.accountCommands.pipeInput("A-1", withCorrelation(open("alice", "EUR", 0), "c\r\nSet-Cookie: x"), T0);

    assertThat(app.results.readValuesToList()).hasSize(2).allSatisfy(result -> {
      assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
      assertThat(result.getRejection().getCode()).isEqualTo("INVALID_INPUT");
    });
    assertThat(app.accountEvents.isEmpty()).isTrue();
  }

  @Test
  void anInvalidCommandIsNotRememberedSoItsIdStaysFreeForTheCorrectedOne() {
    AccountCommand invalid = withCommandId(open("alice\u0007", "EUR", 0), "open-A-1");
    app.accountCommands.pipeInput("A-1", invalid, T0);
    app.accountCommands.pipeInput("A-1", withCommandId(open("alice", "EUR", 0), "open-A-1"), T0);

    assertThat(app.results.readValuesToList()).extracting(CommandResult::getStatus)
        .containsExactly(CommandStatus.REJECTED, CommandStatus.ACCEPTED);
    assertThat(app.accountState.readValue().getOwner()).isEqualTo("alice");
  }

  private void assertOnlyTheValidCommandWasProcessed() {
    assertThat(app.results.readValuesToList()).singleElement()
        .satisfies(result -> assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED));
    assertThat(app.accountEvents.readValuesToList()).hasSize(1);
  }

  private static long countOf(KeyValueStore<String, CommandResult> store) {
    try (var all = store.all()) {
      long count = 0;
      while (all.hasNext()) {
        all.next();
        count++;
      }
      return count;
    }
  }

  private void drainAll() {
    app.accountEvents.readRecordsToList();
    app.accountState.readRecordsToList();
    app.results.readRecordsToList();
  }
}
