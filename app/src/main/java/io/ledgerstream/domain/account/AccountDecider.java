package io.ledgerstream.domain.account;

import static io.ledgerstream.domain.Decision.accept;
import static io.ledgerstream.domain.Decision.reject;
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

import io.ledgerstream.domain.Currencies;
import io.ledgerstream.domain.Decider;
import io.ledgerstream.domain.Decision;
import io.ledgerstream.domain.account.AccountCommand.CloseAccount;
import io.ledgerstream.domain.account.AccountCommand.CreditForTransfer;
import io.ledgerstream.domain.account.AccountCommand.DebitForTransfer;
import io.ledgerstream.domain.account.AccountCommand.DepositMoney;
import io.ledgerstream.domain.account.AccountCommand.OpenAccount;
import io.ledgerstream.domain.account.AccountCommand.RefundTransfer;
import io.ledgerstream.domain.account.AccountCommand.SettleTransfer;
import io.ledgerstream.domain.account.AccountCommand.WithdrawMoney;
import io.ledgerstream.domain.account.AccountEvent.AccountClosed;
import io.ledgerstream.domain.account.AccountEvent.AccountOpened;
import io.ledgerstream.domain.account.AccountEvent.MoneyDeposited;
import io.ledgerstream.domain.account.AccountEvent.MoneyWithdrawn;
import io.ledgerstream.domain.account.AccountEvent.TransferCredited;
import io.ledgerstream.domain.account.AccountEvent.TransferDebited;
import io.ledgerstream.domain.account.AccountEvent.TransferRefunded;
import io.ledgerstream.domain.account.AccountEvent.TransferSettled;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of an account: nothing before it is opened, opened once, positive amounts in the account's
 * currency, never below minus the overdraft limit, closed only at zero with no outgoing transfer in flight, and then
 * accepting nothing.
 *
 * <p>An account tracks the transfers it was debited for until the worker settles them (the credit arrived) or
 * refunds them, so it cannot close while one could still need its refund. What a closed account still accepts is the
 * refund and the settlement of a transfer debited before accounts tracked them: refusing the refund would destroy
 * money.
 */
public final class AccountDecider implements Decider<AccountCommand, AccountEvent, Account> {

  /**
   * How many outgoing transfers an account may have on their way at once. Every snapshot of the account lists them,
   * and a snapshot too large for one Kafka record could never be written: the account's partition would stop.
   */
  public static final int MAX_TRANSFERS_IN_FLIGHT = 1_000;

  @Override
  public Account initialState() {
    return Account.NONE;
  }

  @Override
  public Decision<AccountEvent> decide(AccountCommand command, Account account) {
    if (command instanceof OpenAccount open) {
      return open(open, account);
    }
    if (account.status() == Account.Status.NOT_OPENED) {
      return reject(ACCOUNT_NOT_FOUND, "account does not exist");
    }
    if (command instanceof RefundTransfer refund) {
      return refund(account, refund);
    }
    if (command instanceof SettleTransfer settle) {
      return requireTransferId(settle.transferId())
          .orElseGet(() -> accept(new TransferSettled(settle.transferId())));
    }
    if (account.status() == Account.Status.CLOSED) {
      return reject(ACCOUNT_CLOSED, "account is closed");
    }
    if (command instanceof DepositMoney deposit) {
      return credit(account, deposit.amountMinor(), deposit.currency())
          .orElseGet(() -> accept(new MoneyDeposited(deposit.amountMinor(), deposit.reference(), deposit.channel())));
    }
    if (command instanceof WithdrawMoney withdrawal) {
      return debit(account, withdrawal.amountMinor(), withdrawal.currency())
          .orElseGet(() -> accept(new MoneyWithdrawn(withdrawal.amountMinor(), withdrawal.reference(), withdrawal.channel())));
    }
    if (command instanceof DebitForTransfer debit) {
      return requireTransferId(debit.transferId())
          .or(() -> requireRoomForTransfer(account))
          .or(() -> debit(account, debit.amountMinor(), debit.currency()))
          .orElseGet(() -> accept(new TransferDebited(debit.transferId(), debit.amountMinor(), debit.counterpartyAccountId())));
    }
    if (command instanceof CreditForTransfer credit) {
      return requireTransferId(credit.transferId())
          .or(() -> credit(account, credit.amountMinor(), credit.currency()))
          .orElseGet(() -> accept(new TransferCredited(credit.transferId(), credit.amountMinor(), credit.counterpartyAccountId())));
    }
    if (command instanceof CloseAccount close) {
      if (account.balanceMinor() != 0) {
        return reject(NONZERO_BALANCE, "balance is " + account.balanceMinor() + ", must be 0 to close");
      }
      return account.transfersInFlight().isEmpty()
          ? accept(new AccountClosed(close.reason()))
          : reject(TRANSFERS_IN_FLIGHT, "transfers " + account.transfersInFlight() + " debited this account and have "
              + "not arrived yet; close it once they are completed or refunded");
    }
    throw new IllegalArgumentException("unknown account command: " + command.getClass().getName());
  }

  @Override
  public Account evolve(Account account, AccountEvent event) {
    if (event instanceof AccountOpened opened) {
      return new Account(Account.Status.OPEN, opened.owner(), opened.currency(), 0, opened.overdraftLimitMinor(),
          List.of(), opened.holder());
    }
    if (event instanceof MoneyDeposited deposited) {
      return account.withBalance(account.balanceMinor() + deposited.amountMinor());
    }
    if (event instanceof MoneyWithdrawn withdrawn) {
      return account.withBalance(account.balanceMinor() - withdrawn.amountMinor());
    }
    if (event instanceof TransferDebited debited) {
      return account.withBalance(account.balanceMinor() - debited.amountMinor())
          .withTransferInFlight(debited.transferId());
    }
    if (event instanceof TransferCredited credited) {
      return account.withBalance(account.balanceMinor() + credited.amountMinor());
    }
    if (event instanceof TransferRefunded refunded) {
      return account.withBalance(account.balanceMinor() + refunded.amountMinor())
          .withoutTransferInFlight(refunded.transferId());
    }
    if (event instanceof TransferSettled settled) {
      return account.withoutTransferInFlight(settled.transferId());
    }
    if (event instanceof AccountClosed) {
      return account.closed();
    }
    throw new IllegalArgumentException("unknown account event: " + event.getClass().getName());
  }

  private static Decision<AccountEvent> open(OpenAccount open, Account account) {
    if (account.status() != Account.Status.NOT_OPENED) {
      return reject(ACCOUNT_EXISTS, "account already exists");
    }
    if (open.owner() == null || open.owner().isBlank()) {
      return reject(INVALID_COMMAND, "owner must not be blank");
    }
    if (!Currencies.isIsoCode(open.currency())) {
      return reject(INVALID_CURRENCY, "'" + open.currency() + "' is not an ISO-4217 currency code");
    }
    if (open.overdraftLimitMinor() < 0) {
      return reject(INVALID_AMOUNT, "overdraft limit must not be negative");
    }
    return accept(new AccountOpened(open.owner(), open.currency(), open.overdraftLimitMinor(), open.holder()));
  }

  private static Decision<AccountEvent> refund(Account account, RefundTransfer refund) {
    return requireTransferId(refund.transferId())
        .or(() -> requirePositive(refund.amountMinor()))
        .or(() -> requireNoOverflow(account, refund.amountMinor()))
        .orElseGet(() -> accept(new TransferRefunded(refund.transferId(), refund.amountMinor())));
  }

  private static Optional<Decision<AccountEvent>> credit(Account account, long amountMinor, String currency) {
    return requirePositive(amountMinor)
        .or(() -> requireCurrency(account, currency))
        .or(() -> requireNoOverflow(account, amountMinor));
  }

  private static Optional<Decision<AccountEvent>> debit(Account account, long amountMinor, String currency) {
    return requirePositive(amountMinor)
        .or(() -> requireCurrency(account, currency))
        // balance - amount < -overdraft, rearranged so neither side can overflow
        .or(() -> amountMinor - account.overdraftLimitMinor() > account.balanceMinor()
            ? Optional.of(reject(INSUFFICIENT_FUNDS, "amount " + amountMinor + " exceeds the available "
                + account.availableMinor() + " (balance " + account.balanceMinor()
                + ", overdraft limit " + account.overdraftLimitMinor() + ")"))
            : Optional.empty());
  }

  private static Optional<Decision<AccountEvent>> requirePositive(long amountMinor) {
    return amountMinor > 0
        ? Optional.empty()
        : Optional.of(reject(INVALID_AMOUNT, "amount must be positive, was " + amountMinor));
  }

  private static Optional<Decision<AccountEvent>> requireNoOverflow(Account account, long amountMinor) {
    try {
      Math.addExact(account.balanceMinor(), amountMinor);
      return Optional.empty();
    } catch (ArithmeticException overflow) {
      return Optional.of(reject(INVALID_AMOUNT, "balance would overflow"));
    }
  }

  private static Optional<Decision<AccountEvent>> requireCurrency(Account account, String currency) {
    return currency == null || Objects.equals(currency, account.currency())
        ? Optional.empty()
        : Optional.of(reject(CURRENCY_MISMATCH, "account holds " + account.currency() + ", not " + currency));
  }

  private static Optional<Decision<AccountEvent>> requireRoomForTransfer(Account account) {
    return account.transfersInFlight().size() < MAX_TRANSFERS_IN_FLIGHT
        ? Optional.empty()
        : Optional.of(reject(TOO_MANY_TRANSFERS_IN_FLIGHT, account.transfersInFlight().size()
            + " transfers from this account are on their way, the most it may have; send this one once some arrived"));
  }

  private static Optional<Decision<AccountEvent>> requireTransferId(String transferId) {
    return transferId != null && !transferId.isBlank()
        ? Optional.empty()
        : Optional.of(reject(INVALID_COMMAND, "transferId must not be blank"));
  }
}
