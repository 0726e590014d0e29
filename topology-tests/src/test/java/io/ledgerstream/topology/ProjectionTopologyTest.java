package io.ledgerstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import io.ledgerstream.account.AccountProjections;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.account.CurrencyTotals;
import io.ledgerstream.transfer.TransferProjections;

import io.ledgerstream.account.AccountBinding;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountOpened;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.CloseAccount;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.DepositMoney;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.MoneyWithdrawn;
import io.ledgerstream.avro.OpenAccount;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.avro.TransferDebited;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferRefunded;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.avro.WithdrawMoney;
import io.ledgerstream.domain.account.Account;
import io.ledgerstream.domain.transfer.Transfer;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.projection.CorrelationEntry;
import io.ledgerstream.streams.projection.CorrelationEntry.Kind;
import io.ledgerstream.streams.projection.Counters;
import io.ledgerstream.streams.projection.ProjectionFolds;
import io.ledgerstream.streams.projection.ProjectionQueries;
import io.ledgerstream.streams.projection.ProjectionStores;
import io.ledgerstream.streams.projection.ProjectionTopology;
import io.ledgerstream.transfer.TransferBinding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionTopologyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final List<String> OWNERS = List.of("alice", "bob", "carol", "dave");
  private static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP");
  private static final int ACCOUNTS = 12;
  private static final String NEVER_OPENED = accountId(ACCOUNTS);

  private final AccountBinding accounts = new AccountBinding();
  private final TransferBinding transfers = new TransferBinding();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private LedgerSimulation ledger;
  private ProjectionDriver projections;

  @BeforeAll
  void projectARandomLedger() {
    String scope = newScope();
    ledger = new LedgerSimulation(registry(scope), scope, 7, T0, Duration.ofSeconds(1));
    projections = new ProjectionDriver(registry(scope), scope);
    toClose.add(ledger);
    toClose.add(projections);
    randomActivity(ledger, new Random(11), 400);
    projections.pipeAll(ledger.log);
  }

  @AfterAll
  void close() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void accountSummaryIsTheFoldOfTheAccountsEvents() {
    KeyValueStore<String, AccountState> summaries = projections.store(AccountProjections.SUMMARY);
    Map<String, List<AccountEvent>> events = accountEvents();
    assertThat(events).hasSize(ACCOUNTS);
    events.forEach((accountId, history) -> {
      AccountState summary = summaries.get(accountId);
      Account folded = accounts.decider().fold(history.stream().map(accounts::event).toList());
      assertThat(accounts.snapshot(summary).state()).isEqualTo(folded);
      assertThat(summary.getAccountId()).isEqualTo(accountId);
      assertThat(summary.getVersion()).isEqualTo(history.size());
      assertThat(summary.getOpenedAt()).isEqualTo(history.get(0).getMetadata().getOccurredAt());
      assertThat(summary.getUpdatedAt()).isEqualTo(history.get(history.size() - 1).getMetadata().getOccurredAt());
      assertThat(summary).isEqualTo(ledger.accounts.get(accountId));
    });
    assertThat(summaries.get(NEVER_OPENED)).isNull();
    assertThat(keys(summaries)).hasSize(ACCOUNTS);
  }

  @Test
  void historyScansReturnAnAccountsEventsInVersionOrder() {
    KeyValueStore<String, AccountEvent> history = projections.store(AccountProjections.HISTORY);
    Random random = new Random(3);
    accountEvents().forEach((accountId, events) -> {
      assertThat(ProjectionQueries.history(history, accountId, 1, Integer.MAX_VALUE)).isEqualTo(events);
      assertThat(ProjectionQueries.history(history, accountId, 0, Integer.MAX_VALUE)).isEqualTo(events);
      for (int i = 0; i < 20; i++) {
        int from = 1 + random.nextInt(events.size());
        int limit = 1 + random.nextInt(10);
        assertThat(ProjectionQueries.history(history, accountId, from, limit))
            .isEqualTo(events.subList(from - 1, Math.min(events.size(), from - 1 + limit)));
      }
      assertThat(ProjectionQueries.history(history, accountId, events.size() + 1, 10)).isEmpty();
      assertThat(ProjectionQueries.history(history, accountId, 1, 0)).isEmpty();
    });
    // "A-1" is a prefix of "A-10" and "A-11"; their events must stay out of A-1's history
    assertThat(ProjectionQueries.history(history, "A-1", 1, Integer.MAX_VALUE))
        .allSatisfy(event -> assertThat(event.getMetadata().getAggregateId()).isEqualTo("A-1"));
    assertThat(ProjectionQueries.history(history, NEVER_OPENED, 1, 10)).isEmpty();
  }

  @Test
  void accountsByOwnerListEachOwnersAccountIds() {
    KeyValueStore<String, String> byOwner = projections.store(AccountProjections.BY_OWNER);
    for (String owner : OWNERS) {
      List<String> expected = ledger.accounts.values().stream()
          .filter(account -> account.getOwner().equals(owner))
          .map(AccountState::getAccountId)
          .sorted()
          .toList();
      assertThat(expected).isNotEmpty();
      assertThat(ProjectionQueries.valuesWithPrefix(byOwner, owner)).isEqualTo(expected);
    }
    assertThat(ProjectionQueries.valuesWithPrefix(byOwner, "al")).isEmpty();
    assertThat(ProjectionQueries.valuesWithPrefix(byOwner, "nobody")).isEmpty();
  }

  @Test
  void theOwnerIndexIsWrittenOncePerAccountNotOncePerEvent() {
    String changelog = projections.driver.producedTopicNames().stream()
        .filter(topic -> topic.endsWith("-" + AccountProjections.BY_OWNER + "-changelog"))
        .findFirst().orElseThrow();
    List<String> written = projections.driver.createOutputTopic(changelog, new StringDeserializer(),
        new StringDeserializer()).readValuesToList();

    assertThat(accountEvents().values().stream().mapToInt(List::size).sum()).isGreaterThan(3 * ACCOUNTS);
    assertThat(written).hasSize(ACCOUNTS).doesNotHaveDuplicates();
  }

  @Test
  void commandResultsHoldEachCommandsResult() {
    KeyValueStore<String, CommandResult> stored = projections.store(ProjectionStores.COMMAND_RESULTS);
    Map<String, CommandResult> latest = new HashMap<>();
    logged(Topics.COMMAND_RESULTS, CommandResult.class).forEach(result -> latest.put(result.getCommandId(), result));
    latest.forEach((commandId, result) -> assertThat(stored.get(commandId)).isEqualTo(result));
    assertThat(keys(stored)).isEqualTo(latest.keySet());
    assertThat(latest.values()).extracting(CommandResult::getStatus)
        .contains(CommandStatus.ACCEPTED, CommandStatus.REJECTED);
  }

  @Test
  void transferStatusIsTheFoldOfTheTransfersEvents() {
    KeyValueStore<String, TransferState> stored = projections.store(TransferProjections.STATUS);
    Map<String, List<TransferEvent>> events = new LinkedHashMap<>();
    logged(Topics.TRANSFER_EVENTS, TransferEvent.class).forEach(event ->
        events.computeIfAbsent(event.getMetadata().getAggregateId(), id -> new ArrayList<>()).add(event));
    events.forEach((transferId, history) -> {
      TransferState status = stored.get(transferId);
      Transfer folded = transfers.decider().fold(history.stream().map(transfers::event).toList());
      assertThat(transfers.snapshot(status).state()).isEqualTo(folded);
      assertThat(status.getVersion()).isEqualTo(history.size());
      assertThat(status).isEqualTo(ledger.transfers.get(transferId));
    });
    assertThat(ledger.transfers.values()).extracting(TransferState::getStatus, TransferState::getRefunded)
        .contains(tuple(TransferStatus.COMPLETED, false),
            tuple(TransferStatus.FAILED, true),
            tuple(TransferStatus.FAILED, false));
  }

  @Test
  void transfersByStatusFileEachTransferUnderItsCurrentStatusOnlyAndPageInIdOrder() {
    KeyValueStore<String, TransferState> byStatus = projections.store(TransferProjections.BY_STATUS);
    Map<TransferStatus, List<String>> expected = new TreeMap<>();
    ledger.transfers.forEach((transferId, state) ->
        expected.computeIfAbsent(state.getStatus(), status -> new ArrayList<>()).add(transferId));
    expected.values().forEach(ids -> ids.sort(Comparator.naturalOrder()));
    assertThat(expected).containsKeys(TransferStatus.COMPLETED, TransferStatus.FAILED);

    Map<TransferStatus, List<String>> filed = new TreeMap<>();
    for (TransferStatus status : TransferStatus.values()) {
      List<String> ids = new ArrayList<>();
      String after = null;
      List<TransferState> page;
      do {
        page = ProjectionQueries.page(byStatus, status.name(), after, 3);
        page.forEach(transfer -> {
          assertThat(transfer.getStatus()).isEqualTo(status);
          assertThat(transfer).isEqualTo(ledger.transfers.get(transfer.getTransferId()));
          ids.add(transfer.getTransferId());
        });
        after = page.isEmpty() ? after : page.get(page.size() - 1).getTransferId();
      } while (page.size() == 3);
      if (!ids.isEmpty()) {
        filed.put(status, ids);
      }
    }
    assertThat(filed).isEqualTo(expected);
  }

  @Test
  void totalsPerCurrencyEqualSumsOverTheEventsAndConserveMoney() {
    Map<String, CurrencyTotals> expected = new TreeMap<>();
    accountEvents().forEach((accountId, events) -> {
      AccountState last = ledger.accounts.get(accountId);
      long deposited = sum(events, MoneyDeposited.class, MoneyDeposited::getAmountMinor);
      long withdrawn = sum(events, MoneyWithdrawn.class, MoneyWithdrawn::getAmountMinor);
      long debited = sum(events, TransferDebited.class, TransferDebited::getAmountMinor);
      long credited = sum(events, TransferCredited.class, TransferCredited::getAmountMinor);
      long refunded = sum(events, TransferRefunded.class, TransferRefunded::getAmountMinor);
      boolean open = last.getStatus() == AccountStatus.OPEN;
      CurrencyTotals account = new CurrencyTotals(last.getCurrency(), 1, open ? 1 : 0, open ? 0 : 1,
          last.getBalanceMinor(), deposited, withdrawn, debited, credited, refunded, events.size());
      expected.merge(last.getCurrency(), account, CurrencyTotals::plus);
    });

    KeyValueStore<String, CurrencyTotals> perPartition = projections.store(AccountProjections.TOTALS);
    Map<String, CurrencyTotals> totals = ProjectionQueries.sum(perPartition, CurrencyTotals::plus);

    assertThat(totals).isEqualTo(expected);
    assertThat(totals.keySet()).containsExactlyInAnyOrderElementsOf(CURRENCIES);
    assertThat(totals.values()).allSatisfy(total -> {
      assertThat(total.balanceMinor()).isEqualTo(total.depositedMinor() - total.withdrawnMinor()
          - total.debitedMinor() + total.creditedMinor() + total.refundedMinor());
      // every transfer finished, so nothing is in transit
      assertThat(total.debitedMinor()).isEqualTo(total.creditedMinor() + total.refundedMinor());
    });
    assertThat(totals.values()).anySatisfy(total -> assertThat(total.closedAccounts()).isPositive());
    assertThat(totals.values()).anySatisfy(total -> assertThat(total.refundedMinor()).isPositive());
  }

  @Test
  void countersCountEventsCommandsRejectionsAndTransfersOnce() {
    Map<String, Long> expected = new TreeMap<>();
    logged(Topics.ACCOUNT_EVENTS, AccountEvent.class).forEach(event ->
        expected.merge(Counters.events("account", typeOf(event.getPayload())), 1L, Long::sum));
    logged(Topics.TRANSFER_EVENTS, TransferEvent.class).forEach(event ->
        expected.merge(Counters.events("transfer", typeOf(event.getPayload())), 1L, Long::sum));
    Map<String, CommandResult> firstResults = new LinkedHashMap<>();
    logged(Topics.COMMAND_RESULTS, CommandResult.class).forEach(result ->
        firstResults.putIfAbsent(result.getCommandId(), result));
    firstResults.values().forEach(result -> {
      expected.merge(Counters.commands(result.getStatus().name()), 1L, Long::sum);
      if (result.getRejection() != null) {
        expected.merge(Counters.rejections(result.getRejection().getCode()), 1L, Long::sum);
      }
    });
    ledger.transfers.values().forEach(transfer ->
        expected.merge(TransferProjections.statusCounter(transfer.getStatus().name()), 1L, Long::sum));
    expected.putIfAbsent(TransferProjections.statusCounter(TransferStatus.REQUESTED.name()), 0L);
    expected.putIfAbsent(TransferProjections.statusCounter(TransferStatus.DEBITED.name()), 0L);

    assertThat(ProjectionQueries.sum(projections.<Long>store(ProjectionStores.COUNTS), Long::sum)).isEqualTo(expected);
    assertThat(logged(Topics.COMMAND_RESULTS, CommandResult.class)).hasSizeGreaterThan(firstResults.size());
  }

  @Test
  void everyCorrelationListsAllItsRecordsAfterTheirCauses() {
    KeyValueStore<String, CorrelationEntry> store = projections.store(ProjectionStores.CORRELATIONS);
    Map<String, Set<String>> expected = new HashMap<>();
    for (LedgerSimulation.Logged record : ledger.log) {
      expected.computeIfAbsent(correlationOf(record.value()), id -> new HashSet<>()).add(entryId(record.value()));
    }
    assertThat(expected.keySet()).contains("journey-1", "journey-2");
    expected.forEach((correlationId, entryIds) -> {
      List<CorrelationEntry> entries = ProjectionQueries.correlation(store, correlationId);
      assertThat(entries).extracting(CorrelationEntry::entryId).containsExactlyInAnyOrderElementsOf(entryIds);
      assertThat(entries).allSatisfy(entry -> assertThat(entry.correlationId()).isEqualTo(correlationId));
      assertCausesComeFirst(entries);
    });
  }

  @Test
  void correlationOfACompletedTransferFollowsItsCausalChainEvenWhenClocksRunBackwards() {
    String scope = newScope();
    // each client command is issued a second before the previous one and the worker's commands share the request's
    // time, so only causation can order them
    LedgerSimulation chain = new LedgerSimulation(registry(scope), scope, 5, T0, Duration.ofSeconds(-1));
    ProjectionDriver chainProjections = new ProjectionDriver(registry(scope), scope);
    toClose.add(chain);
    toClose.add(chainProjections);
    chain.account("A-1", new OpenAccount("alice", "EUR", 0L, null));
    chain.account("A-1", deposit(500));
    chain.account("A-2", new OpenAccount("bob", "EUR", 0L, null));
    chain.requestTransfer("T-1", "A-1", "A-2", 200, "EUR", "journey-7");
    chainProjections.pipeAll(chain.log);

    List<CorrelationEntry> entries = ProjectionQueries.correlation(
        chainProjections.store(ProjectionStores.CORRELATIONS), "journey-7");

    assertThat(entries).extracting(CorrelationEntry::kind, CorrelationEntry::type).containsExactly(
        tuple(Kind.COMMAND, "RequestTransfer"),
        tuple(Kind.EVENT, "TransferRequested"),
        tuple(Kind.RESULT, "ACCEPTED"),
        tuple(Kind.COMMAND, "DebitForTransfer"),
        tuple(Kind.EVENT, "TransferDebited"),
        tuple(Kind.RESULT, "ACCEPTED"),
        tuple(Kind.COMMAND, "RecordTransferDebit"),
        tuple(Kind.EVENT, "TransferDebitRecorded"),
        tuple(Kind.RESULT, "ACCEPTED"),
        tuple(Kind.COMMAND, "CreditForTransfer"),
        tuple(Kind.EVENT, "TransferCredited"),
        tuple(Kind.RESULT, "ACCEPTED"),
        tuple(Kind.COMMAND, "CompleteTransfer"),
        tuple(Kind.EVENT, "TransferCompleted"),
        tuple(Kind.RESULT, "ACCEPTED"),
        tuple(Kind.COMMAND, "SettleTransfer"),
        tuple(Kind.EVENT, "TransferSettled"),
        tuple(Kind.RESULT, "ACCEPTED"));
    CorrelationEntry requested = entries.get(1);
    CorrelationEntry debit = entries.get(3);
    CorrelationEntry debited = entries.get(4);
    assertThat(debit.causationId()).isEqualTo(requested.id());
    assertThat(debit.aggregateType()).isEqualTo("account");
    assertThat(debit.aggregateId()).isEqualTo("A-1");
    assertThat(debit.fields()).containsEntry("transferId", "T-1").containsEntry("amountMinor", 200L)
        .containsEntry("counterpartyAccountId", "A-2");
    assertThat(debited.commandId()).isEqualTo(debit.id());
    assertThat(debited.aggregateVersion()).isEqualTo(3L);
    assertThat(entries.get(6).causationId()).isEqualTo(debited.id());
    assertThat(entries.get(14).fields()).containsEntry("eventIds", List.of(entries.get(13).id()));
  }

  @Test
  void correlationOfARefundedTransferShowsTheRejectedCreditAndTheRefund() {
    String scope = newScope();
    LedgerSimulation chain = new LedgerSimulation(registry(scope), scope, 6, T0, Duration.ZERO);
    ProjectionDriver chainProjections = new ProjectionDriver(registry(scope), scope);
    toClose.add(chain);
    toClose.add(chainProjections);
    chain.account("A-1", new OpenAccount("alice", "EUR", 0L, null));
    chain.account("A-1", deposit(500));
    chain.account("A-2", new OpenAccount("bob", "USD", 0L, null));
    String correlationId = chain.requestTransfer("T-1", "A-1", "A-2", 200, "EUR", null).result().getCorrelationId();
    chainProjections.pipeAll(chain.log);

    List<CorrelationEntry> entries = ProjectionQueries.correlation(
        chainProjections.store(ProjectionStores.CORRELATIONS), correlationId);

    assertThat(entries).extracting(entry -> entry.kind() + " " + entry.type()).containsExactly(
        "COMMAND RequestTransfer", "EVENT TransferRequested", "RESULT ACCEPTED",
        "COMMAND DebitForTransfer", "EVENT TransferDebited", "RESULT ACCEPTED",
        "COMMAND RecordTransferDebit", "EVENT TransferDebitRecorded", "RESULT ACCEPTED",
        "COMMAND CreditForTransfer", "RESULT REJECTED",
        "COMMAND RefundTransfer", "EVENT TransferRefunded", "RESULT ACCEPTED",
        "COMMAND FailTransfer", "EVENT TransferFailed", "RESULT ACCEPTED");
    assertThat(entries.get(10).fields()).containsEntry("rejectionCode", "CURRENCY_MISMATCH");
    assertThat(entries.get(0).id()).isEqualTo(correlationId);
    assertThat(chainProjections.<TransferState>store(TransferProjections.STATUS).get("T-1").getRefunded()).isTrue();
  }

  @Test
  void replayingTheSameRecordsAgainChangesNoView() {
    String scope = newScope();
    LedgerSimulation replayed = new LedgerSimulation(registry(scope), scope, 13, T0, Duration.ofSeconds(1));
    ProjectionDriver replayProjections = new ProjectionDriver(registry(scope), scope);
    toClose.add(replayed);
    toClose.add(replayProjections);
    randomActivity(replayed, new Random(17), 150);
    replayProjections.pipeAll(replayed.log);
    Map<String, Map<String, Object>> once = replayProjections.contents();

    replayProjections.pipeAll(replayed.log);
    List<LedgerSimulation.Logged> eventsOnly = replayed.log.stream()
        .filter(record -> record.topic().equals(Topics.ACCOUNT_EVENTS) || record.topic().equals(Topics.TRANSFER_EVENTS))
        .toList();
    replayProjections.pipeAll(eventsOnly);

    assertThat(replayProjections.contents()).isEqualTo(once);
    assertThat(once.values()).allSatisfy(store -> assertThat(store).isNotEmpty());
  }

  @Test
  void poisonEventsAreSkippedAndNeverDeadLettered() {
    String scope = newScope();
    LedgerSimulation source = new LedgerSimulation(registry(scope), scope, 19, T0, Duration.ofSeconds(1));
    ProjectionDriver poisoned = new ProjectionDriver(registry(scope), scope);
    toClose.add(source);
    toClose.add(poisoned);
    source.account("A-1", new OpenAccount("alice", "EUR", 0L, null));
    source.account("A-1", deposit(70));
    LedgerSimulation.Logged deposited = source.log.stream()
        .filter(record -> record.topic().equals(Topics.ACCOUNT_EVENTS)).toList().get(1);
    AccountEvent orphan = AccountEvent.newBuilder((AccountEvent) deposited.value())
        .setMetadata(EventMetadata.newBuilder(((AccountEvent) deposited.value()).getMetadata())
            .setAggregateId("ghost").setAggregateVersion(1).build())
        .build();

    poisoned.rawAccountEvents.pipeInput("A-1", "not avro".getBytes(StandardCharsets.UTF_8), T0);
    poisoned.pipe(new LedgerSimulation.Logged(Topics.ACCOUNT_EVENTS, "ghost", orphan, T0));
    poisoned.pipeAll(source.log);

    KeyValueStore<String, AccountState> summaries = poisoned.store(AccountProjections.SUMMARY);
    assertThat(summaries.get("ghost")).isNull();
    assertThat(summaries.get("A-1").getBalanceMinor()).isEqualTo(70);
    assertThat(summaries.get("A-1").getVersion()).isEqualTo(2);
    assertThat(poisoned.driver.producedTopicNames()).doesNotContain(Topics.DLQ);
  }

  @Test
  void everyProcessorAndStoreHasAGivenNameAndOnlyTheStatusIndexIsRepartitioned() {
    String scope = newScope();
    String description = ProjectionTopology.build(new Topics(new RegistryRecordSerdes(registry(scope), true)),
        new RegistryRecordSerdes(registry(scope), true)).describe().toString();

    assertThat(description).doesNotContain("KSTREAM-", "KTABLE-");
    // every view but the transfers by status (partitioned by status, so a page of one status is one lookup) is kept in
    // its record's own partition: a rebuild writes no other record twice
    assertThat(description.replace(TransferProjections.BY_STATUS_REPARTITION + "-repartition", ""))
        .doesNotContain("-repartition");
    ProjectionDriver.STORES.forEach(store -> assertThat(description).contains(store));
  }

  @Test
  void foldOfAHistoryPrefixIsTheAccountAsOfThatVersion() {
    accountEvents().forEach((accountId, events) -> {
      for (int version = 1; version <= events.size(); version++) {
        AccountState asOf = ProjectionFolds.fold(AccountType.BINDING, accountId, events.subList(0, version));
        assertThat(asOf.getVersion()).isEqualTo(version);
        assertThat(accounts.snapshot(asOf).state())
            .isEqualTo(accounts.decider().fold(events.subList(0, version).stream().map(accounts::event).toList()));
      }
    });
  }

  /** Opens the accounts, then mixes deposits, withdrawals, transfers, closings, retries and rejected commands. */
  private static void randomActivity(LedgerSimulation ledger, Random random, int steps) {
    for (int i = 0; i < ACCOUNTS; i++) {
      ledger.account(accountId(i), new OpenAccount(OWNERS.get(i % OWNERS.size()), CURRENCIES.get(i % CURRENCIES.size()),
          random.nextInt(3) * 100L, null));
    }
    LedgerSimulation.Outcome last = null;
    Object lastPayload = null;
    String lastAccount = null;
    int journeys = 0;
    int transfers = 0;
    for (int step = 0; step < steps; step++) {
      String accountId = accountId(random.nextInt(ACCOUNTS + 1));
      int dice = random.nextInt(100);
      Object payload = null;
      if (dice < 30) {
        payload = deposit(1 + random.nextInt(1_000));
      } else if (dice < 50) {
        payload = WithdrawMoney.newBuilder().setAmountMinor(1 + random.nextInt(800)).setReference("cash").build();
      } else if (dice < 75) {
        String to = accountId(random.nextInt(ACCOUNTS));
        AccountState from = ledger.accounts.get(accountId);
        String correlationId = random.nextInt(4) == 0 ? null : "journey-" + (++journeys);
        ledger.requestTransfer("T-" + (++transfers), accountId, to, 1 + random.nextInt(600),
            from == null ? "EUR" : from.getCurrency(), correlationId);
      } else if (dice < 80) {
        accountId = accountId(random.nextInt(ACCOUNTS));
        payload = new OpenAccount("mallory", "EUR", 0L, null);
      } else if (dice < 88 && last != null) {
        ledger.retry(Topics.ACCOUNT_COMMANDS, lastAccount, last, lastPayload);
      } else if (dice < 93) {
        closeAccount(ledger, accountId);
      } else {
        ledger.account(accountId, deposit(1 + random.nextInt(50)), "journey-" + (++journeys), null);
      }
      if (payload != null) {
        last = ledger.account(accountId, payload);
        lastPayload = payload;
        lastAccount = accountId;
      }
    }
  }

  private static void closeAccount(LedgerSimulation ledger, String accountId) {
    AccountState account = ledger.accounts.get(accountId);
    if (account != null && account.getBalanceMinor() > 0) {
      ledger.account(accountId, WithdrawMoney.newBuilder().setAmountMinor(account.getBalanceMinor()).build());
    } else if (account != null && account.getBalanceMinor() < 0) {
      ledger.account(accountId, deposit(-account.getBalanceMinor()));
    }
    ledger.account(accountId, new CloseAccount("closing"));
  }

  private static DepositMoney deposit(long amountMinor) {
    return DepositMoney.newBuilder().setAmountMinor(amountMinor).setReference("test").build();
  }

  private static String accountId(int i) {
    return "A-" + i;
  }

  private Map<String, List<AccountEvent>> accountEvents() {
    Map<String, List<AccountEvent>> events = new LinkedHashMap<>();
    logged(Topics.ACCOUNT_EVENTS, AccountEvent.class).forEach(event ->
        events.computeIfAbsent(event.getMetadata().getAggregateId(), id -> new ArrayList<>()).add(event));
    events.values().forEach(history -> assertThat(history.get(0).getPayload()).isInstanceOf(AccountOpened.class));
    return events;
  }

  private static Set<String> keys(KeyValueStore<String, ?> store) {
    Set<String> keys = new HashSet<>();
    try (KeyValueIterator<String, ?> all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }

  private <T> List<T> logged(String topic, Class<T> type) {
    return ledger.log.stream().filter(record -> record.topic().equals(topic)).map(record -> type.cast(record.value()))
        .toList();
  }

  private static <P> long sum(List<AccountEvent> events, Class<P> type, ToLongFunction<P> amount) {
    return events.stream().map(AccountEvent::getPayload).filter(type::isInstance).map(type::cast).mapToLong(amount).sum();
  }

  private static String typeOf(Object payload) {
    return payload.getClass().getSimpleName();
  }

  private static String correlationOf(SpecificRecord record) {
    if (record instanceof io.ledgerstream.avro.AccountCommand command) {
      return correlationOf(command.getMetadata());
    }
    if (record instanceof io.ledgerstream.avro.TransferCommand command) {
      return correlationOf(command.getMetadata());
    }
    if (record instanceof AccountEvent event) {
      return event.getMetadata().getCorrelationId();
    }
    if (record instanceof TransferEvent event) {
      return event.getMetadata().getCorrelationId();
    }
    return ((CommandResult) record).getCorrelationId();
  }

  private static String correlationOf(io.ledgerstream.avro.CommandMetadata metadata) {
    return metadata.getCorrelationId() != null ? metadata.getCorrelationId() : metadata.getCommandId();
  }

  private static String entryId(SpecificRecord record) {
    if (record instanceof io.ledgerstream.avro.AccountCommand command) {
      return "COMMAND:" + command.getMetadata().getCommandId();
    }
    if (record instanceof io.ledgerstream.avro.TransferCommand command) {
      return "COMMAND:" + command.getMetadata().getCommandId();
    }
    if (record instanceof AccountEvent event) {
      return "EVENT:" + event.getMetadata().getEventId();
    }
    if (record instanceof TransferEvent event) {
      return "EVENT:" + event.getMetadata().getEventId();
    }
    return "RESULT:" + ((CommandResult) record).getCommandId();
  }

  /** Checks the ordering against causation as the test understands it, independently of the sorting code. */
  private static void assertCausesComeFirst(List<CorrelationEntry> entries) {
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      CorrelationEntry entry = entries.get(i);
      position.put(entry.entryId(), i);
    }
    for (int i = 0; i < entries.size(); i++) {
      CorrelationEntry entry = entries.get(i);
      List<String> causes = new ArrayList<>();
      switch (entry.kind()) {
        case COMMAND -> {
          causes.add("EVENT:" + entry.causationId());
          causes.add("COMMAND:" + entry.causationId());
        }
        case EVENT -> causes.add("COMMAND:" + entry.commandId());
        case RESULT -> {
          causes.add("COMMAND:" + entry.commandId());
          entries.stream().filter(other -> other.kind() == Kind.EVENT && other.commandId().equals(entry.commandId()))
              .forEach(event -> causes.add("EVENT:" + event.id()));
        }
      }
      int at = i;
      causes.stream().map(position::get).filter(Objects::nonNull)
          .forEach(causeAt -> assertThat(causeAt).as("cause of %s", entry.entryId()).isLessThan(at));
    }
  }

  private InMemorySchemaRegistry registry(String scope) {
    return InMemorySchemaRegistry.scope(scope);
  }

  private String newScope() {
    String scope = "projections-" + UUID.randomUUID();
    toClose.add(() -> InMemorySchemaRegistry.drop(scope));
    return scope;
  }
}
