package io.ledgerstream.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.domain.Sealed;
import io.ledgerstream.domain.account.Account;
import io.ledgerstream.domain.account.AccountCommand;
import io.ledgerstream.domain.account.AccountEvent;
import io.ledgerstream.streams.Snapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountBindingTest {

  private static final AccountBinding BINDING = AccountType.BINDING;
  private static final Instant OPENED_AT = Instant.parse("2024-06-11T10:00:00Z");
  private static final Instant UPDATED_AT = Instant.parse("2024-06-11T10:00:05Z");

  private static final CommandMetadata COMMAND_METADATA = CommandMetadata.newBuilder()
      .setCommandId("c-1")
      .setCorrelationId("corr-1")
      .setCausationId("e-0")
      .setIssuedAt(OPENED_AT)
      .setIssuedBy("test")
      .setExpectedVersion(2L)
      .build();

  private static final EventMetadata EVENT_METADATA = EventMetadata.newBuilder()
      .setEventId("e-1")
      .setCommandId("c-1")
      .setCorrelationId("corr-1")
      .setCausationId("c-1")
      .setAggregateId("A-1")
      .setAggregateVersion(3)
      .setOccurredAt(UPDATED_AT)
      .build();

  /** Every command type with every field set, and once more with the optional ones left out. */
  private static final List<AccountCommand> COMMANDS = List.of(
      new AccountCommand.OpenAccount("alice", "EUR", 500),
      new AccountCommand.DepositMoney(250, "EUR", "salary", "http"),
      new AccountCommand.DepositMoney(250, null, null, null),
      new AccountCommand.WithdrawMoney(100, "EUR", "rent", "cli"),
      new AccountCommand.WithdrawMoney(100, null, null, null),
      new AccountCommand.CloseAccount("moving"),
      new AccountCommand.CloseAccount(null),
      new AccountCommand.DebitForTransfer("T-1", 300, "EUR", "B"),
      new AccountCommand.CreditForTransfer("T-1", 300, "EUR", "A"),
      new AccountCommand.RefundTransfer("T-1", 300),
      new AccountCommand.SettleTransfer("T-1"));

  @Test
  void carriesTheSealedHolderFromCommandToEventToSnapshotUnread() {
    Sealed holder = new Sealed("key-1", new byte[] {1, 2, 3, (byte) 0xff});
    io.ledgerstream.avro.AccountCommand avro = BINDING.command(COMMAND_METADATA,
        new AccountCommand.OpenAccount("alice", "EUR", 0, holder));
    AccountCommand open = BINDING.command(avro);
    assertThat(open).isEqualTo(new AccountCommand.OpenAccount("alice", "EUR", 0, holder));

    List<AccountEvent> events = ((io.ledgerstream.domain.Decision.Accepted<AccountEvent>) BINDING.decider()
        .decide(open, BINDING.decider().initialState())).events();
    assertThat(events).containsExactly(new AccountEvent.AccountOpened("alice", "EUR", 0, holder));
    AccountEvent opened = BINDING.event(BINDING.event(EVENT_METADATA, events.get(0)));
    assertThat(opened).isEqualTo(events.get(0));

    Account account = BINDING.decider().evolve(BINDING.decider().initialState(), opened);
    AccountState state = BINDING.snapshot("A-1", new Snapshot<>(account, 1, OPENED_AT, OPENED_AT));
    assertThat(state.getHolder().getKeyId()).isEqualTo("key-1");
    assertThat(BINDING.snapshot(state).state().holder()).isEqualTo(holder);
  }

  @Test
  void typeIsAccount() {
    assertThat(AccountType.TYPE.name()).isEqualTo("account");
    assertThat(AccountType.TYPE.binding()).isSameAs(BINDING);
    assertThat(BINDING.decider().initialState()).isEqualTo(Account.NONE);
  }

  @Test
  void roundTripsEveryCommandThroughItsAvroEncoding() throws IOException {
    for (AccountCommand command : COMMANDS) {
      var avro = BINDING.command(COMMAND_METADATA, command);
      var received = io.ledgerstream.avro.AccountCommand.fromByteBuffer(avro.toByteBuffer());

      assertThat(BINDING.command(received)).isEqualTo(command);
      assertThat(BINDING.metadata(received)).isEqualTo(COMMAND_METADATA);
    }
  }

  @Test
  void mapsEveryCommandPayloadToItsDomainCommand() {
    List<Object> payloads = List.of(
        new io.ledgerstream.avro.OpenAccount("alice", "EUR", 500L, null),
        new io.ledgerstream.avro.DepositMoney(250L, "salary", "http", "EUR"),
        new io.ledgerstream.avro.WithdrawMoney(100L, "rent", "cli", "EUR"),
        new io.ledgerstream.avro.CloseAccount("moving"),
        new io.ledgerstream.avro.DebitForTransfer("T-1", 300L, "B", "EUR"),
        new io.ledgerstream.avro.CreditForTransfer("T-1", 300L, "A", "EUR"),
        new io.ledgerstream.avro.RefundTransfer("T-1", 300L));
    List<AccountCommand> expected = List.of(COMMANDS.get(0), COMMANDS.get(1), COMMANDS.get(3), COMMANDS.get(5),
        COMMANDS.get(7), COMMANDS.get(8), COMMANDS.get(9));
    for (int i = 0; i < payloads.size(); i++) {
      var sent = new io.ledgerstream.avro.AccountCommand(COMMAND_METADATA, payloads.get(i));

      assertThat(BINDING.command(sent)).isEqualTo(expected.get(i));
      assertThat(BINDING.command(COMMAND_METADATA, expected.get(i))).isEqualTo(sent);
    }
  }

  @Test
  void rejectsACommandPayloadItDoesNotKnow() {
    var foreign = new io.ledgerstream.avro.AccountCommand(COMMAND_METADATA,
        new io.ledgerstream.avro.CompleteTransfer("x"));

    assertThatThrownBy(() -> BINDING.command(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CompleteTransfer");
  }

  @Test
  void roundTripsEveryEventThroughItsAvroEncoding() throws IOException {
    List<AccountEvent> events = List.of(
        new AccountEvent.AccountOpened("alice", "EUR", 500),
        new AccountEvent.MoneyDeposited(250, "salary", "http"),
        new AccountEvent.MoneyDeposited(250, null, null),
        new AccountEvent.MoneyWithdrawn(100, "rent", "cli"),
        new AccountEvent.TransferDebited("T-1", 300, "B"),
        new AccountEvent.TransferCredited("T-1", 300, "A"),
        new AccountEvent.TransferRefunded("T-1", 300),
        new AccountEvent.AccountClosed("moving"),
        new AccountEvent.TransferSettled("T-1"));
    for (AccountEvent event : events) {
      var avro = BINDING.event(EVENT_METADATA, event);
      var decoded = io.ledgerstream.avro.AccountEvent.fromByteBuffer(avro.toByteBuffer());

      assertThat(decoded.getMetadata()).isEqualTo(EVENT_METADATA);
      assertThat(BINDING.event(decoded)).isEqualTo(event);
    }
  }

  @Test
  void writesEventFieldsUnderTheirContractNames() {
    var avro = BINDING.event(EVENT_METADATA, new AccountEvent.TransferDebited("T-1", 300, "B"));

    assertThat(avro.getPayload()).isEqualTo(new io.ledgerstream.avro.TransferDebited("T-1", 300L, "B"));
  }

  @Test
  void rejectsAnEventPayloadItDoesNotKnow() {
    var foreign = new io.ledgerstream.avro.AccountEvent(EVENT_METADATA,
        new io.ledgerstream.avro.TransferCompleted("x"));

    assertThatThrownBy(() -> BINDING.event(foreign)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roundTripsASnapshotInEveryStatus() throws IOException {
    List<Account> accounts = List.of(
        new Account(Account.Status.OPEN, "alice", "EUR", 1_250, 500),
        new Account(Account.Status.OPEN, "alice", "EUR", -300, 500),
        new Account(Account.Status.OPEN, "alice", "EUR", 0, 0, List.of("T-1", "T-2")),
        new Account(Account.Status.CLOSED, "alice", "EUR", 0, 0));
    for (Account account : accounts) {
      Snapshot<Account> snapshot = new Snapshot<>(account, 4, OPENED_AT, UPDATED_AT);
      AccountState state = BINDING.snapshot("A-1", snapshot);
      AccountState decoded = AccountState.fromByteBuffer(state.toByteBuffer());

      assertThat(decoded.getStatus().name()).isEqualTo(account.status().name());
      assertThat(BINDING.snapshot(decoded)).isEqualTo(snapshot);
    }
  }

  @Test
  void writesSnapshotFieldsUnderTheirContractNames() {
    Account closed = new Account(Account.Status.CLOSED, "alice", "EUR", 0, 500);

    AccountState state = BINDING.snapshot("A-1", new Snapshot<>(closed, 4, OPENED_AT, UPDATED_AT));

    assertThat(state).isEqualTo(AccountState.newBuilder()
        .setAccountId("A-1")
        .setOwner("alice")
        .setCurrency("EUR")
        .setBalanceMinor(0)
        .setOverdraftLimitMinor(500)
        .setStatus(AccountStatus.CLOSED)
        .setVersion(4)
        .setOpenedAt(OPENED_AT)
        .setUpdatedAt(UPDATED_AT)
        .build());
  }

  @Test
  void refusesToSnapshotAnAccountThatWasNeverOpened() {
    assertThatThrownBy(() -> BINDING.snapshot("A-1", new Snapshot<>(Account.NONE, 1, OPENED_AT, UPDATED_AT)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
