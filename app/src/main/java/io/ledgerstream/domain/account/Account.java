package io.ledgerstream.domain.account;

import io.ledgerstream.domain.Sealed;
import java.util.ArrayList;
import java.util.List;

/**
 * An account as its events left it; {@link #NONE} before it was opened.
 *
 * @param transfersInFlight the transfers that debited this account and were neither settled nor refunded yet
 * @param holder who holds the account, sealed as it was opened; null when not given
 */
public record Account(Status status, String owner, String currency, long balanceMinor, long overdraftLimitMinor,
                      List<String> transfersInFlight, Sealed holder) {

  /** Lifecycle of an account. */
  public enum Status { NOT_OPENED, OPEN, CLOSED }

  public static final Account NONE = new Account(Status.NOT_OPENED, null, null, 0, 0, List.of());

  public Account {
    transfersInFlight = List.copyOf(transfersInFlight);
  }

  /** An account without a holder. */
  public Account(Status status, String owner, String currency, long balanceMinor, long overdraftLimitMinor,
                 List<String> transfersInFlight) {
    this(status, owner, currency, balanceMinor, overdraftLimitMinor, transfersInFlight, null);
  }

  /** An account with no transfer in flight and no holder. */
  public Account(Status status, String owner, String currency, long balanceMinor, long overdraftLimitMinor) {
    this(status, owner, currency, balanceMinor, overdraftLimitMinor, List.of());
  }

  public boolean isOpen() {
    return status == Status.OPEN;
  }

  /** How much can leave the account now, counting the overdraft. */
  public long availableMinor() {
    return balanceMinor + overdraftLimitMinor;
  }

  Account withBalance(long newBalanceMinor) {
    return new Account(status, owner, currency, newBalanceMinor, overdraftLimitMinor, transfersInFlight, holder);
  }

  Account withTransferInFlight(String transferId) {
    List<String> transfers = new ArrayList<>(transfersInFlight);
    transfers.add(transferId);
    return new Account(status, owner, currency, balanceMinor, overdraftLimitMinor, transfers, holder);
  }

  Account withoutTransferInFlight(String transferId) {
    List<String> transfers = new ArrayList<>(transfersInFlight);
    transfers.remove(transferId);
    return new Account(status, owner, currency, balanceMinor, overdraftLimitMinor, transfers, holder);
  }

  Account closed() {
    return new Account(Status.CLOSED, owner, currency, balanceMinor, overdraftLimitMinor, transfersInFlight, holder);
  }
}
