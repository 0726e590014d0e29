package io.ledgerstream.account;

import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.MoneyWithdrawn;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.avro.TransferDebited;
import io.ledgerstream.avro.TransferRefunded;

/**
 * Totals of the accounts in one currency, kept per partition and summed with {@link #plus}. Money in transit
 * between accounts is {@code debitedMinor - creditedMinor - refundedMinor}.
 */
public record CurrencyTotals(String currency, long accounts, long openAccounts, long closedAccounts, long balanceMinor,
               long depositedMinor, long withdrawnMinor, long debitedMinor, long creditedMinor,
               long refundedMinor, long events) {

  public static CurrencyTotals zero(String currency) {
    return new CurrencyTotals(currency, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  public CurrencyTotals plus(CurrencyTotals other) {
    return new CurrencyTotals(currency, accounts + other.accounts, openAccounts + other.openAccounts,
        closedAccounts + other.closedAccounts, balanceMinor + other.balanceMinor,
        depositedMinor + other.depositedMinor, withdrawnMinor + other.withdrawnMinor,
        debitedMinor + other.debitedMinor, creditedMinor + other.creditedMinor,
        refundedMinor + other.refundedMinor, events + other.events);
  }

  /** What one event changed: {@code before} is the account's summary before it, null for a new account. */
  static CurrencyTotals change(AccountState before, AccountState after, Object payload) {
    return new CurrencyTotals(after.getCurrency(),
        before == null ? 1 : 0,
        is(after, AccountStatus.OPEN) - is(before, AccountStatus.OPEN),
        is(after, AccountStatus.CLOSED) - is(before, AccountStatus.CLOSED),
        after.getBalanceMinor() - (before == null ? 0 : before.getBalanceMinor()),
        payload instanceof MoneyDeposited e ? e.getAmountMinor() : 0,
        payload instanceof MoneyWithdrawn e ? e.getAmountMinor() : 0,
        payload instanceof TransferDebited e ? e.getAmountMinor() : 0,
        payload instanceof TransferCredited e ? e.getAmountMinor() : 0,
        payload instanceof TransferRefunded e ? e.getAmountMinor() : 0,
        1);
  }

  private static int is(AccountState state, AccountStatus status) {
    return state != null && state.getStatus() == status ? 1 : 0;
  }
}
