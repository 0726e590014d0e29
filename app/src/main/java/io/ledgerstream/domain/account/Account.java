package io.ledgerstream.domain.account;

/** An account as its events left it; {@link #NONE} before it was opened. */
public record Account(Status status, String owner, String currency, long balanceMinor, long overdraftLimitMinor) {

  /** Lifecycle of an account. */
  public enum Status { NOT_OPENED, OPEN, CLOSED }

  public static final Account NONE = new Account(Status.NOT_OPENED, null, null, 0, 0);

  public boolean isOpen() {
    return status == Status.OPEN;
  }

  /** How much can leave the account now, counting the overdraft. */
  public long availableMinor() {
    return balanceMinor + overdraftLimitMinor;
  }

  Account withBalance(long newBalanceMinor) {
    return new Account(status, owner, currency, newBalanceMinor, overdraftLimitMinor);
  }

  Account closed() {
    return new Account(Status.CLOSED, owner, currency, balanceMinor, overdraftLimitMinor);
  }
}
