package io.ledgerstream.topology;

import static io.ledgerstream.topology.Commands.close;
import static io.ledgerstream.topology.Commands.deposit;
import static io.ledgerstream.topology.Commands.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.CompleteTransfer;
import io.ledgerstream.avro.CreditForTransfer;
import io.ledgerstream.avro.DebitForTransfer;
import io.ledgerstream.avro.FailTransfer;
import io.ledgerstream.avro.RecordTransferDebit;
import io.ledgerstream.avro.RefundTransfer;
import io.ledgerstream.avro.RequestTransfer;
import io.ledgerstream.avro.SettleTransfer;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.avro.TransferDebited;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransferWorkerTopologyTest {

  /** A command the worker sent, with its record key. */
  private record Sent(String key, SpecificRecord command) {

    CommandMetadata metadata() {
      return command instanceof AccountCommand account ? account.getMetadata() : ((TransferCommand) command).getMetadata();
    }

    Object payload() {
      return command instanceof AccountCommand account ? account.getPayload() : ((TransferCommand) command).getPayload();
    }

    String transferId() {
      if (command instanceof TransferCommand) {
        return key;
      }
      Object payload = payload();
      if (payload instanceof DebitForTransfer debit) {
        return debit.getTransferId();
      }
      if (payload instanceof CreditForTransfer credit) {
        return credit.getTransferId();
      }
      if (payload instanceof SettleTransfer settle) {
        return settle.getTransferId();
      }
      return ((RefundTransfer) payload).getTransferId();
    }

    Step step() {
      return Arrays.stream(Step.values())
          .filter(step -> TransferWorkerTopology.commandId(transferId(), step).equals(metadata().getCommandId()))
          .findFirst().orElseThrow(() -> new AssertionError("not a worker command id: " + metadata()));
    }

    String describe() {
      return key + " " + payload().getClass().getSimpleName();
    }
  }

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final CommandSideDriver app = new CommandSideDriver();
  private final Map<String, AccountState> accounts = new HashMap<>();
  private final Map<String, TransferState> transfers = new HashMap<>();
  private final List<TestRecord<String, AccountEvent>> accountEvents = new ArrayList<>();
  private final List<TestRecord<String, TransferEvent>> transferEvents = new ArrayList<>();
  private final List<Sent> workerCommands = new ArrayList<>();
  private final Map<String, CommandResult> results = new HashMap<>();
  private final List<TestRecord<String, CommandResult>> resultRecords = new ArrayList<>();

  @AfterEach
  void closeDriver() {
    app.close();
  }

  @Test
  void completesATransferByDebitingRecordingCreditingCompletingAndSettlingTheSource() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 50);

    request("T-1", "A", "B", 300, "EUR", null);

    assertThat(transfers.get("T-1").getStatus()).isEqualTo(TransferStatus.COMPLETED);
    assertThat(balance("A")).isEqualTo(700);
    assertThat(balance("B")).isEqualTo(350);
    assertThat(workerCommands).extracting(Sent::describe).containsExactly(
        "A DebitForTransfer", "T-1 RecordTransferDebit", "B CreditForTransfer", "T-1 CompleteTransfer",
        "A SettleTransfer");
    assertThat(accounts.get("A").getTransfersInFlight()).isEmpty();
    DebitForTransfer debit = (DebitForTransfer) workerCommands.get(0).payload();
    assertThat(debit.getTransferId()).isEqualTo("T-1");
    assertThat(debit.getAmountMinor()).isEqualTo(300);
    assertThat(debit.getCurrency()).isEqualTo("EUR");
    assertThat(debit.getCounterpartyAccountId()).isEqualTo("B");
    CreditForTransfer credit = (CreditForTransfer) workerCommands.get(2).payload();
    assertThat(credit.getCounterpartyAccountId()).isEqualTo("A");
    assertThat(credit.getCurrency()).isEqualTo("EUR");
    assertThat(results.values()).allSatisfy(result -> assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED));
  }

  @Test
  void aDebitRejectedForInsufficientFundsFailsTheTransferWithoutARefund() {
    openWith("A", "EUR", 100);
    openWith("B", "EUR", 0);

    request("T-1", "A", "B", 500, "EUR", null);

    TransferState transfer = transfers.get("T-1");
    assertThat(transfer.getStatus()).isEqualTo(TransferStatus.FAILED);
    assertThat(transfer.getFailureCode()).isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(transfer.getFailureReason()).contains("exceeds the available 100");
    assertThat(transfer.getRefunded()).isFalse();
    assertThat(balance("A")).isEqualTo(100);
    assertThat(balance("B")).isZero();
    assertThat(workerCommands).extracting(Sent::describe)
        .containsExactly("A DebitForTransfer", "T-1 FailTransfer");
  }

  @Test
  void aTransferFromAnAccountInAnotherCurrencyIsRejectedByTheDebit() {
    openWith("A", "USD", 1_000);
    openWith("B", "EUR", 0);

    request("T-1", "A", "B", 200, "EUR", null);

    assertThat(transfers.get("T-1")).extracting(TransferState::getStatus, TransferState::getFailureCode,
        TransferState::getRefunded).containsExactly(TransferStatus.FAILED, "CURRENCY_MISMATCH", false);
    assertThat(balance("A")).isEqualTo(1_000);
    assertThat(balance("B")).isZero();
  }

  @Test
  void aCreditRejectedBecauseTheDestinationIsClosedRefundsTheSource() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 0);
    app.accountCommands.pipeInput("B", close(), T0);
    collect();

    request("T-1", "A", "B", 400, "EUR", null);

    assertFailedAndRefunded("ACCOUNT_CLOSED");
    assertThat(balance("A")).isEqualTo(1_000);
    assertThat(balance("B")).isZero();
    assertThat(accounts.get("B").getVersion()).isEqualTo(2);
  }

  @Test
  void aCreditRejectedBecauseTheDestinationDoesNotExistRefundsTheSource() {
    openWith("A", "EUR", 1_000);

    request("T-1", "A", "nobody", 400, "EUR", null);

    assertFailedAndRefunded("ACCOUNT_NOT_FOUND");
    assertThat(balance("A")).isEqualTo(1_000);
    assertThat(accounts).doesNotContainKey("nobody");
  }

  @Test
  void aCreditRejectedBecauseTheDestinationHoldsAnotherCurrencyRefundsTheSource() {
    openWith("A", "EUR", 1_000);
    openWith("B", "GBP", 70);

    request("T-1", "A", "B", 400, "EUR", null);

    assertFailedAndRefunded("CURRENCY_MISMATCH");
    assertThat(balance("A")).isEqualTo(1_000);
    assertThat(balance("B")).isEqualTo(70);
  }

  @Test
  void everyWorkerCommandCarriesTheRequestsCorrelationAndTheIdOfItsCause() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 0);

    request("T-1", "A", "B", 300, "EUR", "journey-1");

    String requested = transferEventId("TransferRequested");
    String debited = accountEventId("TransferDebited");
    String recorded = transferEventId("TransferDebitRecorded");
    String credited = accountEventId("TransferCredited");
    String completed = transferEventId("TransferCompleted");
    assertThat(workerCommands).extracting(Sent::metadata)
        .allSatisfy(metadata -> {
          assertThat(metadata.getCorrelationId()).isEqualTo("journey-1");
          assertThat(metadata.getIssuedBy()).isEqualTo(TransferWorkerTopology.ISSUED_BY);
          assertThat(metadata.getExpectedVersion()).isNull();
        })
        .extracting(CommandMetadata::getCausationId)
        .containsExactly(requested, debited, recorded, credited, completed);
    assertThat(((RecordTransferDebit) workerCommands.get(1).payload()).getDebitEventId())
        .isEqualTo(debited);
    assertThat(((CompleteTransfer) workerCommands.get(3).payload()).getCreditEventId())
        .isEqualTo(credited);
    assertThat(accountEvents).filteredOn(event -> event.value().getPayload() instanceof TransferDebited
            || event.value().getPayload() instanceof TransferCredited)
        .extracting(event -> event.value().getMetadata().getCorrelationId())
        .hasSize(2).containsOnly("journey-1");
    assertThat(transferEvents).extracting(event -> event.value().getMetadata().getCorrelationId())
        .containsOnly("journey-1");
  }

  @Test
  void aReactionToARejectionNamesTheRejectedCommandAsItsCause() {
    openWith("A", "EUR", 1_000);
    openWith("B", "USD", 0);
    openWith("C", "EUR", 10);

    String refundedCorrelation = request("T-1", "A", "B", 300, "EUR", null);
    String failedCorrelation = request("T-2", "C", "A", 300, "EUR", null);

    Map<String, CommandMetadata> sent = new HashMap<>();
    workerCommands.forEach(command -> sent.put(command.describe(), command.metadata()));
    String creditId = TransferWorkerTopology.commandId("T-1", Step.CREDIT);
    assertThat(results.get(creditId).getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(sent.get("A RefundTransfer").getCausationId()).isEqualTo(creditId);
    assertThat(sent.get("A RefundTransfer").getCorrelationId()).isEqualTo(refundedCorrelation);
    assertThat(sent.get("T-1 FailTransfer").getCausationId()).isEqualTo(accountEventId("TransferRefunded"));
    assertThat(sent.get("T-2 FailTransfer").getCausationId())
        .isEqualTo(TransferWorkerTopology.commandId("T-2", Step.DEBIT));
    assertThat(sent.get("T-2 FailTransfer").getCorrelationId()).isEqualTo(failedCorrelation);
    assertThat(refundedCorrelation).isNotEqualTo(failedCorrelation);
  }

  @Test
  void commandIdsAreMadeFromTheTransferAndTheStep() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 0);

    request("T-1", "A", "B", 300, "EUR", null);

    assertThat(workerCommands).extracting(command -> command.metadata().getCommandId()).containsExactly(
        uuid("transfer-worker/T-1/debit"), uuid("transfer-worker/T-1/record-debit"),
        uuid("transfer-worker/T-1/credit"), uuid("transfer-worker/T-1/complete"), uuid("transfer-worker/T-1/settle"));
    try (CommandSideDriver again = new CommandSideDriver()) {
      again.accountCommands.pipeInput("A", open("alice", "EUR", 0), T0);
      again.accountCommands.pipeInput("A", deposit(1_000), T0);
      again.accountCommands.pipeInput("B", open("bob", "EUR", 0), T0);
      again.transferCommands.pipeInput("T-1", requestCommand("A", "B", 300, "EUR", null), T0);
      List<String> replayed = new ArrayList<>();
      CommandSideDriver.issuedValues(again.workerAccountCommands).forEach(c -> replayed.add(c.getMetadata().getCommandId()));
      CommandSideDriver.issuedValues(again.workerTransferCommands).forEach(c -> replayed.add(c.getMetadata().getCommandId()));
      assertThat(replayed).containsExactlyInAnyOrderElementsOf(
          workerCommands.stream().map(command -> command.metadata().getCommandId()).toList());
    }
  }

  @Test
  void aWorkerCommandSentAgainIsAnsweredWithItsOriginalResultAndMovesNoMoney() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 0);
    request("T-1", "A", "B", 300, "EUR", null);
    AccountCommand debit = (AccountCommand) workerCommands.get(0).command();
    CommandResult original = results.get(debit.getMetadata().getCommandId());

    app.internalAccountCommands.pipeInput("A", debit, T0.plusSeconds(5));
    collect();

    assertThat(results.get(debit.getMetadata().getCommandId())).isEqualTo(original);
    assertThat(balance("A")).isEqualTo(700);
    assertThat(balance("B")).isEqualTo(300);
    assertThat(accountEvents).filteredOn(event -> event.value().getPayload() instanceof TransferDebited)
        .hasSize(1);
  }

  @Test
  void eventsAndResultsDeliveredTwiceToTheWorkerMoveMoneyOnce() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 0);
    request("T-1", "A", "B", 300, "EUR", null);
    int sent = workerCommands.size();

    transferEvents.forEach(event -> app.redeliveredTransferEvents.pipeInput(event.key(), event.value(), T0));
    List.copyOf(resultRecords).forEach(app.redeliveredResults::pipeInput);
    collect();

    assertThat(workerCommands).hasSize(sent);
    assertThat(balance("A")).isEqualTo(700);
    assertThat(balance("B")).isEqualTo(300);
    assertThat(transfers.get("T-1").getVersion()).isEqualTo(3);
  }

  @Test
  void aTransferRequestedEventDeliveredAgainAfterAFailureSendsNothingNew() {
    openWith("A", "EUR", 100);
    openWith("B", "EUR", 0);
    request("T-1", "A", "B", 500, "EUR", null);
    app.accountCommands.pipeInput("A", deposit(900), T0);
    collect();
    TestRecord<String, TransferEvent> requested = transferEvents.get(0);

    app.redeliveredTransferEvents.pipeInput(requested.key(), requested.value(), T0);
    collect();

    assertThat(workerCommands).hasSize(2);
    assertThat(balance("A")).isEqualTo(1_000);
    assertThat(transfers.get("T-1").getStatus()).isEqualTo(TransferStatus.FAILED);
  }

  @Test
  void theResultOfEveryWorkerCommandNamesItsTransferInAHeader() {
    openWith("A", "EUR", 1_000);
    openWith("B", "USD", 0);
    TransferCommand request = requestCommand("A", "B", 300, "EUR", null);

    app.transferCommands.pipeInput("T-1", request, T0);

    Map<String, String> headerByCommand = new HashMap<>();
    app.results.readRecordsToList().forEach(result -> {
      Header header = result.headers().lastHeader(TransferWorkerTopology.TRANSFER_ID_HEADER);
      headerByCommand.put(result.key(), header == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    });
    assertThat(headerByCommand).hasSize(6).containsEntry(request.getMetadata().getCommandId(), null);
    List.of(Step.DEBIT, Step.RECORD_DEBIT, Step.CREDIT, Step.REFUND, Step.FAIL_REFUNDED).forEach(step ->
        assertThat(headerByCommand).containsEntry(TransferWorkerTopology.commandId("T-1", step), "T-1"));
  }

  @Test
  void aTransferLegOnThePublicCommandTopicIsRejectedAsReservedAndMovesNoMoney() {
    openWith("A", "EUR", 1_000);
    AccountCommand forged = Commands.command(new CreditForTransfer("T-9", 1_000_000L, "X", "EUR"));

    app.accountCommands.pipeInput(new TestRecord<>("A", forged, forgedTransferHeader("T-9"), T0));
    collect();

    CommandResult result = results.get(forged.getMetadata().getCommandId());
    assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(result.getRejection().getCode()).isEqualTo("RESERVED_COMMAND");
    assertThat(result.getVersion()).as("refused at the claim stage, before the account is read").isZero();
    assertThat(balance("A")).isEqualTo(1_000);
    assertThat(accountEvents).filteredOn(event -> event.value().getPayload() instanceof TransferCredited).isEmpty();
  }

  @Test
  void theTransfersOwnProgressCommandsOnThePublicTopicAreRejectedAsReserved() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 0);
    app.transferCommands.pipeInput("T-1", requestCommand("A", "B", 300, "EUR", null), T0);
    app.transferCommands.pipeInput("T-2", requestCommand("A", "B", 300, "EUR", null), T0);
    collect();
    TransferCommand forged = new TransferCommand(Commands.metadata(UUID.randomUUID().toString()),
        new CompleteTransfer("made-up"));

    app.transferCommands.pipeInput("T-2", forged, T0);
    collect();

    assertThat(results.get(forged.getMetadata().getCommandId()).getRejection().getCode()).isEqualTo("RESERVED_COMMAND");
    assertThat(transferEvents).filteredOn(event -> event.key().equals("T-2")).hasSize(3);
    assertThat(transfers.get("T-2").getStatus()).isEqualTo(TransferStatus.COMPLETED);
  }

  @Test
  void aForgedLegWithTheWorkersFutureCommandIdNeitherAnswersNorBlocksTheRealOne() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 0);
    String debitId = TransferWorkerTopology.commandId("T-1", Step.DEBIT);
    AccountCommand forged = Commands.withCommandId(
        Commands.command(new DebitForTransfer("T-1", 300L, "B", "EUR")), debitId);
    app.accountCommands.pipeInput(new TestRecord<>("A", forged, forgedTransferHeader("T-1"), T0));
    collect();
    assertThat(results.get(debitId).getRejection().getCode()).isEqualTo("RESERVED_COMMAND");

    request("T-1", "A", "B", 300, "EUR", null);

    assertThat(transfers.get("T-1").getStatus()).isEqualTo(TransferStatus.COMPLETED);
    assertThat(results.get(debitId).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(balance("A")).isEqualTo(700);
    assertThat(balance("B")).isEqualTo(300);
  }

  @Test
  void aDepositUnderTheIdOfAFutureCreditIsRefusedAndTheCreditStillArrives() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 0);
    String creditId = TransferWorkerTopology.commandId("T-1", Step.CREDIT);
    app.accountCommands.pipeInput("B", Commands.withCommandId(deposit(5), creditId), T0);
    collect();
    assertThat(results.get(creditId).getRejection().getCode()).isEqualTo("RESERVED_COMMAND_ID");

    request("T-1", "A", "B", 500, "EUR", null);

    assertThat(transfers.get("T-1").getStatus()).isEqualTo(TransferStatus.COMPLETED);
    assertThat(results.get(creditId).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(balance("A")).isEqualTo(500);
    assertThat(balance("B")).isEqualTo(500);
    assertThat(accountEvents).filteredOn(event -> event.value().getPayload() instanceof TransferCredited).hasSize(1);
  }

  @Test
  void aRejectedRequestUnderTheIdOfALaterStepDoesNotStallTheRealTransfer() {
    openWith("A", "EUR", 1_000);
    openWith("B", "EUR", 0);
    String recordDebitId = TransferWorkerTopology.commandId("T-1", Step.RECORD_DEBIT);
    TransferCommand forged = new TransferCommand(Commands.metadata(recordDebitId), new RequestTransfer("A", "B", 0L,
        "EUR"));
    app.transferCommands.pipeInput("T-1", forged, T0);
    collect();
    assertThat(results.get(recordDebitId).getStatus()).isEqualTo(CommandStatus.REJECTED);

    request("T-1", "A", "B", 300, "EUR", null);

    assertThat(transfers.get("T-1").getStatus()).isEqualTo(TransferStatus.COMPLETED);
    assertThat(balance("A")).isEqualTo(700);
    assertThat(balance("B")).isEqualTo(300);
  }

  @Test
  void theResultOfAPublicCommandCarriesNoneOfTheClientsHeaders() {
    AccountCommand open = open("alice", "EUR", 0);

    app.accountCommands.pipeInput(new TestRecord<>("A", open, forgedTransferHeader("T-1"), T0));

    TestRecord<String, CommandResult> result = app.results.readRecord();
    assertThat(result.value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(result.headers().toArray()).isEmpty();
  }

  @Test
  void everyNodeStoreAndInternalTopicOfTheCommandSideHasAGivenName() {
    String description = CommandTopology.build(app.topics, new RegistryRecordSerdes(app.registry, true),
        CommandSideConfig.DEFAULTS).describe().toString();

    assertThat(description).doesNotContain("KSTREAM-", "KTABLE-");
    assertThat(description).contains(TransferWorkerTopology.RESULTS_REPARTITION + "-repartition",
        TransferWorkerTopology.STORE, TransferWorkerTopology.DEADLINES_STORE);
    assertThat(description).doesNotContain(Topics.ACCOUNT_EVENTS + "]");
  }

  private static RecordHeaders forgedTransferHeader(String transferId) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(TransferWorkerTopology.TRANSFER_ID_HEADER, transferId.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  private void assertFailedAndRefunded(String code) {
    TransferState transfer = transfers.get("T-1");
    assertThat(transfer).extracting(TransferState::getStatus, TransferState::getFailureCode, TransferState::getRefunded)
        .containsExactly(TransferStatus.FAILED, code, true);
    assertThat(workerCommands).extracting(Sent::describe).containsExactly(
        "A DebitForTransfer", "T-1 RecordTransferDebit", transfer.getTo() + " CreditForTransfer", "A RefundTransfer",
        "T-1 FailTransfer");
    FailTransfer fail = (FailTransfer) workerCommands.get(4).payload();
    assertThat(fail.getRefunded()).isTrue();
    assertThat(((RefundTransfer) workerCommands.get(3).payload()).getAmountMinor())
        .isEqualTo(transfer.getAmountMinor());
    assertThat(results.get(TransferWorkerTopology.commandId("T-1", Step.CREDIT)))
        .extracting(CommandResult::getStatus, result -> result.getRejection().getCode())
        .containsExactly(CommandStatus.REJECTED, code);
  }

  private void openWith(String accountId, String currency, long balanceMinor) {
    app.accountCommands.pipeInput(accountId, open("owner-" + accountId, currency, 0), T0);
    if (balanceMinor > 0) {
      app.accountCommands.pipeInput(accountId, deposit(balanceMinor), T0);
    }
    collect();
  }

  /** Requests a transfer and returns its correlation id; the driver runs the worker to the transfer's end. */
  private String request(String transferId, String from, String to, long amountMinor, String currency,
                         String correlationId) {
    TransferCommand command = requestCommand(from, to, amountMinor, currency, correlationId);
    app.transferCommands.pipeInput(transferId, command, T0);
    collect();
    assertThat(results.get(command.getMetadata().getCommandId()).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    return correlationId != null ? correlationId : command.getMetadata().getCommandId();
  }

  private static TransferCommand requestCommand(String from, String to, long amountMinor, String currency,
                                                String correlationId) {
    CommandMetadata metadata = CommandMetadata.newBuilder(Commands.metadata(UUID.randomUUID().toString()))
        .setCorrelationId(correlationId).build();
    return new TransferCommand(metadata, new RequestTransfer(from, to, amountMinor, currency));
  }

  private void collect() {
    accountEvents.addAll(app.accountEvents.readRecordsToList());
    transferEvents.addAll(app.transferEvents.readRecordsToList());
    accounts.putAll(app.accountState.readKeyValuesToMap());
    transfers.putAll(app.transferState.readKeyValuesToMap());
    List<Sent> batch = new ArrayList<>();
    CommandSideDriver.issued(app.workerAccountCommands).forEach(sent -> batch.add(new Sent(sent.key(), sent.value())));
    CommandSideDriver.issued(app.workerTransferCommands).forEach(sent -> batch.add(new Sent(sent.key(), sent.value())));
    // the two topics are read one after the other; within one transfer the steps' order is the order they were sent
    batch.sort(Comparator.comparing(Sent::transferId).thenComparing(Sent::step));
    workerCommands.addAll(batch);
    app.results.readRecordsToList().forEach(result -> {
      resultRecords.add(result);
      results.put(result.value().getCommandId(), result.value());
    });
  }

  private long balance(String accountId) {
    return accounts.get(accountId).getBalanceMinor();
  }

  private String transferEventId(String type) {
    return transferEvents.stream().map(TestRecord::value)
        .filter(event -> event.getPayload().getClass().getSimpleName().equals(type))
        .findFirst().orElseThrow().getMetadata().getEventId();
  }

  private String accountEventId(String type) {
    return accountEvents.stream().map(TestRecord::value)
        .filter(event -> event.getPayload().getClass().getSimpleName().equals(type))
        .findFirst().orElseThrow().getMetadata().getEventId();
  }

  private static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
