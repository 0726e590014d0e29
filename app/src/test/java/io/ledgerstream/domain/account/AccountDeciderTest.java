package io.ledgerstream.domain.account;

import static io.ledgerstream.domain.RejectionCode.ACCOUNT_CLOSED;
import static io.ledgerstream.domain.RejectionCode.ACCOUNT_EXISTS;
import static io.ledgerstream.domain.RejectionCode.ACCOUNT_NOT_FOUND;
import static io.ledgerstream.domain.RejectionCode.CURRENCY_MISMATCH;
import static io.ledgerstream.domain.RejectionCode.INSUFFICIENT_FUNDS;
import static io.ledgerstream.domain.RejectionCode.INVALID_AMOUNT;
import static io.ledgerstream.domain.RejectionCode.INVALID_COMMAND;
import static io.ledgerstream.domain.RejectionCode.INVALID_CURRENCY;
import static io.ledgerstream.domain.RejectionCode.NONZERO_BALANCE;
import static io.ledgerstream.domain.RejectionCode.TOO_MANY_TRANSFERS_IN_FLIGHT;
import static io.ledgerstream.domain.RejectionCode.TRANSFERS_IN_FLIGHT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.domain.DeciderSpec;
import io.ledgerstream.domain.Decision;
import io.ledgerstream.domain.account.Account.Status;
import io.ledgerstream.domain.account.AccountCommand.CloseAccount;
import io.ledgerstream.domain.account.AccountCommand.CreditForTransfer;
import io.ledgerstream.domain.account.AccountCommand.DebitForTransfer;
import io.ledgerstream.domain.account.AccountCommand.DepositMoney;
import io.ledgerstream.domain.account.AccountCommand.OpenAccount;
import io.ledgerstream.domain.account.AccountCommand.RefundTransfer;
import io.ledgerstream.domain.account.AccountCommand.WithdrawMoney;
import io.ledgerstream.domain.account.AccountEvent.AccountClosed;
import io.ledgerstream.domain.account.AccountEvent.AccountOpened;
import io.ledgerstream.domain.account.AccountEvent.MoneyDeposited;
import io.ledgerstream.domain.account.AccountEvent.MoneyWithdrawn;
import io.ledgerstream.domain.account.AccountEvent.TransferCredited;
import io.ledgerstream.domain.account.AccountEvent.TransferDebited;
import io.ledgerstream.domain.account.AccountEvent.TransferRefunded;
import io.ledgerstream.domain.account.AccountEvent.TransferSettled;
import io.ledgerstream.domain.account.AccountCommand.SettleTransfer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountDeciderTest {

  private static final AccountDecider DECIDER = new AccountDecider();
  private static final String EUR = "EUR";
  private static final AccountOpened OPENED = new AccountOpened("alice", EUR, 0);
  private static final AccountOpened OPENED_WITH_OVERDRAFT = new AccountOpened("alice", EUR, 500);

  private static DeciderSpec<AccountCommand, AccountEvent, Account> spec() {
    return DeciderSpec.of(DECIDER);
  }

  private static DepositMoney deposit(long amount) {
    return new DepositMoney(amount, EUR, "ref", "web");
  }

  private static MoneyDeposited deposited(long amount) {
    return new MoneyDeposited(amount, "ref", "web");
  }

  private static WithdrawMoney withdraw(long amount) {
    return new WithdrawMoney(amount, EUR, "ref", "web");
  }

  private static MoneyWithdrawn withdrawn(long amount) {
    return new MoneyWithdrawn(amount, "ref", "web");
  }

  private static Account open(long balance, long overdraftLimit) {
    return new Account(Status.OPEN, "alice", EUR, balance, overdraftLimit);
  }

  // opening

  @Test
  void opensAnAccountWithOwnerCurrencyAndOverdraft() {
    spec().when(new OpenAccount("alice", EUR, 500))
        .thenEvents(new AccountOpened("alice", EUR, 500))
        .thenState(open(0, 500));
  }

  @Test
  void rejectsSecondOpen() {
    spec().given(OPENED).when(new OpenAccount("bob", "USD", 0)).thenRejected(ACCOUNT_EXISTS).thenState(open(0, 0));
  }

  @Test
  void rejectsOpenOfAClosedAccount() {
    spec().given(OPENED, new AccountClosed("done")).when(new OpenAccount("alice", EUR, 0)).thenRejected(ACCOUNT_EXISTS);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   "})
  void rejectsOpenWithBlankOwner(String owner) {
    spec().when(new OpenAccount(owner, EUR, 0)).thenRejected(INVALID_COMMAND).thenState(Account.NONE);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"XYZ", "eur", "EU", "EURO", ""})
  void rejectsUnknownCurrencyCode(String currency) {
    spec().when(new OpenAccount("alice", currency, 0)).thenRejected(INVALID_CURRENCY);
  }

  @Test
  void rejectsNegativeOverdraftLimit() {
    spec().when(new OpenAccount("alice", EUR, -1)).thenRejected(INVALID_AMOUNT);
  }

  // nothing before opening

  @Test
  void rejectsDepositBeforeOpening() {
    spec().when(deposit(100)).thenRejected(ACCOUNT_NOT_FOUND).thenState(Account.NONE);
  }

  @Test
  void rejectsEveryOtherCommandBeforeOpening() {
    List<AccountCommand> commands = List.of(withdraw(1), new CloseAccount("x"), new DebitForTransfer("t1", 1, EUR, "b"),
        new CreditForTransfer("t1", 1, EUR, "b"), new RefundTransfer("t1", 1));
    for (AccountCommand command : commands) {
      spec().when(command).thenRejected(ACCOUNT_NOT_FOUND);
    }
  }

  // deposits and withdrawals

  @Test
  void depositsAddToTheBalance() {
    spec().given(OPENED, deposited(100)).when(deposit(50)).thenEvents(deposited(50)).thenState(open(150, 0));
  }

  @Test
  void nullCurrencyMeansTheAccountsOwn() {
    spec().given(OPENED).when(new DepositMoney(70, null, "ref", null))
        .thenEvents(new MoneyDeposited(70, "ref", null));
    spec().given(OPENED, deposited(70)).when(new WithdrawMoney(70, null, null, "atm"))
        .thenEvents(new MoneyWithdrawn(70, null, "atm"));
  }

  @Test
  void acceptsWithdrawalOfTheWholeBalanceWithoutOverdraft() {
    spec().given(OPENED, deposited(100)).when(withdraw(100)).thenEvents(withdrawn(100)).thenState(open(0, 0));
  }

  @Test
  void rejectsWithdrawalBeyondTheBalanceWithoutOverdraft() {
    spec().given(OPENED, deposited(100)).when(withdraw(101)).thenRejected(INSUFFICIENT_FUNDS).thenState(open(100, 0));
  }

  @Test
  void acceptsWithdrawalDownToExactlyTheOverdraftLimit() {
    spec().given(OPENED_WITH_OVERDRAFT, deposited(100)).when(withdraw(600))
        .thenEvents(withdrawn(600))
        .thenState(open(-500, 500));
  }

  @Test
  void rejectsWithdrawalBeyondOverdraft() {
    spec().given(OPENED_WITH_OVERDRAFT, deposited(100)).when(withdraw(601)).thenRejected(INSUFFICIENT_FUNDS);
    spec().given(OPENED_WITH_OVERDRAFT, withdrawn(500)).when(withdraw(1)).thenRejected(INSUFFICIENT_FUNDS);
  }

  @Test
  void acceptsWithdrawalWhenBalancePlusOverdraftExceedsTheLongRange() {
    spec().given(new AccountOpened("alice", EUR, Long.MAX_VALUE), deposited(1)).when(withdraw(1))
        .thenEvents(withdrawn(1));
    spec().given(new AccountOpened("alice", EUR, Long.MAX_VALUE), deposited(Long.MAX_VALUE)).when(withdraw(Long.MAX_VALUE))
        .thenEvents(withdrawn(Long.MAX_VALUE));
  }

  @Test
  void rejectsZeroAndNegativeAmounts() {
    for (long amount : new long[] {0, -1, Long.MIN_VALUE}) {
      List<AccountCommand> commands = List.of(deposit(amount), withdraw(amount),
          new DebitForTransfer("t1", amount, EUR, "b"), new CreditForTransfer("t1", amount, EUR, "b"),
          new RefundTransfer("t1", amount));
      for (AccountCommand command : commands) {
        spec().given(OPENED_WITH_OVERDRAFT, deposited(100)).when(command).thenRejected(INVALID_AMOUNT);
      }
    }
  }

  @Test
  void rejectsCurrencyMismatch() {
    List<AccountCommand> commands = List.of(new DepositMoney(10, "USD", "ref", "web"), new WithdrawMoney(10, "USD", "ref", "web"),
        new DebitForTransfer("t1", 10, "USD", "b"), new CreditForTransfer("t1", 10, "USD", "b"),
        new DepositMoney(10, "eur", "ref", "web"));
    for (AccountCommand command : commands) {
      spec().given(OPENED, deposited(100)).when(command).thenRejected(CURRENCY_MISMATCH).thenState(open(100, 0));
    }
  }

  @Test
  void rejectsDepositThatWouldOverflowTheBalance() {
    spec().given(OPENED, deposited(Long.MAX_VALUE)).when(deposit(1)).thenRejected(INVALID_AMOUNT);
    spec().given(OPENED, deposited(Long.MAX_VALUE - 1)).when(deposit(1)).thenEvents(deposited(1));
  }

  @Test
  void rejectsCreditOrRefundThatWouldOverflowTheBalance() {
    spec().given(OPENED, deposited(Long.MAX_VALUE)).when(new CreditForTransfer("t1", 1, EUR, "b")).thenRejected(INVALID_AMOUNT);
    spec().given(OPENED, deposited(Long.MAX_VALUE)).when(new RefundTransfer("t1", 1)).thenRejected(INVALID_AMOUNT);
  }

  // closing

  @Test
  void closesAtZeroBalance() {
    spec().given(OPENED, deposited(100), withdrawn(100)).when(new CloseAccount("moving"))
        .thenEvents(new AccountClosed("moving"))
        .thenState(new Account(Status.CLOSED, "alice", EUR, 0, 0));
  }

  @Test
  void rejectsCloseWithNonZeroBalance() {
    spec().given(OPENED, deposited(1)).when(new CloseAccount("x")).thenRejected(NONZERO_BALANCE).thenState(open(1, 0));
    spec().given(OPENED_WITH_OVERDRAFT, withdrawn(1)).when(new CloseAccount("x")).thenRejected(NONZERO_BALANCE);
  }

  @Test
  void rejectsADebitBeyondTheMostTransfersInFlightSoTheSnapshotStaysBounded() {
    List<AccountEvent> history = new ArrayList<>(List.of(OPENED, deposited(1_000_000)));
    for (int i = 0; i < AccountDecider.MAX_TRANSFERS_IN_FLIGHT - 1; i++) {
      history.add(new TransferDebited("t" + i, 1, "b"));
    }
    AccountEvent[] almostFull = history.toArray(AccountEvent[]::new);
    spec().given(almostFull).when(new DebitForTransfer("last", 1, EUR, "b"))
        .thenEvents(new TransferDebited("last", 1, "b"));

    history.add(new TransferDebited("last", 1, "b"));
    AccountEvent[] full = history.toArray(AccountEvent[]::new);
    spec().given(full).when(new DebitForTransfer("one-more", 1, EUR, "b")).thenRejected(TOO_MANY_TRANSFERS_IN_FLIGHT);
    spec().given(full).when(new RefundTransfer("t0", 1)).thenEvents(new TransferRefunded("t0", 1));
  }

  @Test
  void rejectsCloseWhileAnOutgoingTransferIsInFlight() {
    spec().given(OPENED, deposited(100), new TransferDebited("t1", 100, "b")).when(new CloseAccount("x"))
        .thenRejected(TRANSFERS_IN_FLIGHT)
        .thenState(new Account(Status.OPEN, "alice", EUR, 0, 0, List.of("t1")));
  }

  @Test
  void closesOnceEveryOutgoingTransferIsSettledOrRefunded() {
    spec().given(OPENED, deposited(300), new TransferDebited("t1", 100, "b"), new TransferDebited("t2", 200, "c"),
            new TransferSettled("t1"), new TransferRefunded("t2", 200), withdrawn(200))
        .when(new CloseAccount("moving"))
        .thenEvents(new AccountClosed("moving"))
        .thenState(new Account(Status.CLOSED, "alice", EUR, 0, 0));
  }

  @Test
  void settlesATransferWithoutMovingMoney() {
    spec().given(OPENED, deposited(100), new TransferDebited("t1", 40, "b"), new TransferDebited("t2", 60, "c"))
        .when(new SettleTransfer("t1"))
        .thenEvents(new TransferSettled("t1"))
        .thenState(new Account(Status.OPEN, "alice", EUR, 0, 0, List.of("t2")));
  }

  @Test
  void aClosedAccountSettlesATransferDebitedBeforeAccountsTrackedThem() {
    spec().given(OPENED, new AccountClosed("done")).when(new SettleTransfer("old"))
        .thenEvents(new TransferSettled("old"))
        .thenState(new Account(Status.CLOSED, "alice", EUR, 0, 0));
  }

  @Test
  void closedAccountAcceptsNothingButRefunds() {
    List<AccountCommand> commands = List.of(deposit(10), withdraw(10), new CloseAccount("again"),
        new DebitForTransfer("t2", 10, EUR, "b"), new CreditForTransfer("t2", 10, EUR, "b"));
    AccountEvent[] closed = {OPENED_WITH_OVERDRAFT, new AccountClosed("done")};
    for (AccountCommand command : commands) {
      spec().given(closed).when(command).thenRejected(ACCOUNT_CLOSED);
    }
    spec().given(closed).when(new OpenAccount("alice", EUR, 0)).thenRejected(ACCOUNT_EXISTS);
    spec().given(closed).when(new RefundTransfer("t1", 10)).thenEvents(new TransferRefunded("t1", 10));
  }

  @Test
  void refundOnClosedAccountGivesMoneyBack() {
    spec().given(OPENED, deposited(100), new TransferDebited("t1", 100, "b"), new AccountClosed("done"))
        .when(new RefundTransfer("t1", 100))
        .thenEvents(new TransferRefunded("t1", 100))
        .thenState(new Account(Status.CLOSED, "alice", EUR, 100, 0));
  }

  // transfer legs

  @Test
  void debitsForTransferWithinOverdraft() {
    spec().given(OPENED_WITH_OVERDRAFT, deposited(100)).when(new DebitForTransfer("t1", 600, null, "b"))
        .thenEvents(new TransferDebited("t1", 600, "b"))
        .thenState(new Account(Status.OPEN, "alice", EUR, -500, 500, List.of("t1")));
  }

  @Test
  void rejectsDebitForTransferBeyondOverdraft() {
    spec().given(OPENED_WITH_OVERDRAFT, deposited(100)).when(new DebitForTransfer("t1", 601, EUR, "b"))
        .thenRejected(INSUFFICIENT_FUNDS)
        .thenState(open(100, 500));
  }

  @Test
  void creditsForTransfer() {
    spec().given(OPENED).when(new CreditForTransfer("t1", 250, EUR, "a"))
        .thenEvents(new TransferCredited("t1", 250, "a"))
        .thenState(open(250, 0));
  }

  @Test
  void refundsATransferOnAnOpenAccount() {
    spec().given(OPENED, deposited(100), new TransferDebited("t1", 100, "b")).when(new RefundTransfer("t1", 100))
        .thenEvents(new TransferRefunded("t1", 100))
        .thenState(open(100, 0));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", " "})
  void rejectsBlankTransferId(String transferId) {
    List<AccountCommand> commands = List.of(new DebitForTransfer(transferId, 10, EUR, "b"),
        new CreditForTransfer(transferId, 10, EUR, "b"), new RefundTransfer(transferId, 10),
        new SettleTransfer(transferId));
    for (AccountCommand command : commands) {
      spec().given(OPENED, deposited(100)).when(command).thenRejected(INVALID_COMMAND);
    }
  }

  // evolve

  @Test
  void foldedBalanceIsDepositsMinusWithdrawalsAndDebitsPlusCreditsAndRefunds() {
    Account account = DECIDER.fold(List.of(OPENED_WITH_OVERDRAFT, deposited(1_000), withdrawn(300),
        new TransferDebited("t1", 400, "b"), new TransferCredited("t2", 250, "c"), new TransferRefunded("t1", 400),
        withdrawn(1_200), deposited(50)));

    assertThat(account).isEqualTo(open(1_000 - 300 - 400 + 250 + 400 - 1_200 + 50, 500));
  }

  @Test
  void foldOfNothingIsTheInitialState() {
    assertThat(DECIDER.fold(List.of())).isEqualTo(Account.NONE).isEqualTo(DECIDER.initialState());
  }

  // properties over random commands

  @Test
  void randomCommandsKeepTheInvariants() {
    Random random = new Random(20240611L);
    int accepted = 0;
    int closed = 0;
    for (int run = 0; run < 40; run++) {
      Account account = DECIDER.initialState();
      long expectedBalance = 0;
      for (int step = 0; step < 100; step++) {
        AccountCommand command = randomCommand(random, account);
        Decision<AccountEvent> decision = DECIDER.decide(command, account);
        if (decision instanceof Decision.Accepted<AccountEvent> ok) {
          assertThat(ok.events()).as("events for %s", command).hasSize(1);
          assertThat(currencyOf(command)).as("currency of %s", command).isIn(null, account.currency());
          account = DECIDER.evolve(account, ok.events().get(0));
          expectedBalance += signedAmount(command);
          accepted++;
          closed += command instanceof CloseAccount ? 1 : 0;
        } else {
          var rejection = ((Decision.Rejected<AccountEvent>) decision).rejection();
          if (rejection.code() == INSUFFICIENT_FUNDS) {
            assertThat(account.balanceMinor() - amountOf(command)).as("refused %s", command)
                .isLessThan(-account.overdraftLimitMinor());
          }
        }
        if (account.isOpen()) {
          assertThat(account.balanceMinor()).as("balance after %s", command).isGreaterThanOrEqualTo(-account.overdraftLimitMinor());
        }
        assertThat(account.balanceMinor()).as("balance after %s", command).isEqualTo(expectedBalance);
      }
    }
    assertThat(accepted).as("accepted commands").isGreaterThan(1_000);
    assertThat(closed).as("accepted closes").isPositive();
  }

  private static AccountCommand randomCommand(Random random, Account account) {
    long amount = random.nextInt(20) == 0 ? -random.nextInt(2) : 1 + random.nextInt(400);
    String currency = switch (random.nextInt(10)) {
      case 0 -> "USD";
      case 1, 2, 3 -> null;
      default -> EUR;
    };
    if (account.balanceMinor() != 0 && random.nextInt(8) == 0) {
      // steer towards zero now and then so closing is sometimes accepted
      amount = Math.abs(account.balanceMinor());
      return account.balanceMinor() > 0 ? withdraw(amount) : deposit(amount);
    }
    return switch (random.nextInt(9)) {
      case 0 -> new OpenAccount("alice", random.nextBoolean() ? EUR : "XYZ", random.nextInt(1_000));
      case 1, 2 -> new DepositMoney(amount, currency, "ref", "web");
      case 3, 4 -> new WithdrawMoney(amount, currency, "ref", "atm");
      case 5 -> new DebitForTransfer("t" + random.nextInt(100), amount, currency, "b");
      case 6 -> new CreditForTransfer("t" + random.nextInt(100), amount, currency, "b");
      case 7 -> new RefundTransfer(random.nextInt(20) == 0 ? " " : "t" + random.nextInt(100), amount);
      default -> new CloseAccount("random");
    };
  }

  private static long amountOf(AccountCommand command) {
    if (command instanceof DepositMoney c) return c.amountMinor();
    if (command instanceof WithdrawMoney c) return c.amountMinor();
    if (command instanceof DebitForTransfer c) return c.amountMinor();
    if (command instanceof CreditForTransfer c) return c.amountMinor();
    if (command instanceof RefundTransfer c) return c.amountMinor();
    return 0;
  }

  private static String currencyOf(AccountCommand command) {
    if (command instanceof DepositMoney c) return c.currency();
    if (command instanceof WithdrawMoney c) return c.currency();
    if (command instanceof DebitForTransfer c) return c.currency();
    if (command instanceof CreditForTransfer c) return c.currency();
    return null;
  }

  private static long signedAmount(AccountCommand command) {
    return command instanceof WithdrawMoney || command instanceof DebitForTransfer ? -amountOf(command) : amountOf(command);
  }
}
