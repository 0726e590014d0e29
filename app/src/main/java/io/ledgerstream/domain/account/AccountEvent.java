package io.ledgerstream.domain.account;

import io.ledgerstream.domain.Sealed;

/** Facts recorded about an account, in the order they happened. */
public sealed interface AccountEvent {

  /** @param holder who holds the account, sealed; null when not given */
  record AccountOpened(String owner, String currency, long overdraftLimitMinor, Sealed holder) implements AccountEvent {

    public AccountOpened(String owner, String currency, long overdraftLimitMinor) {
      this(owner, currency, overdraftLimitMinor, null);
    }
  }

  record MoneyDeposited(long amountMinor, String reference, String channel) implements AccountEvent {}

  record MoneyWithdrawn(long amountMinor, String reference, String channel) implements AccountEvent {}

  record TransferDebited(String transferId, long amountMinor, String counterpartyAccountId) implements AccountEvent {}

  record TransferCredited(String transferId, long amountMinor, String counterpartyAccountId) implements AccountEvent {}

  record TransferRefunded(String transferId, long amountMinor) implements AccountEvent {}

  /** The transfer this account was debited for reached its destination; no money moves. */
  record TransferSettled(String transferId) implements AccountEvent {}

  record AccountClosed(String reason) implements AccountEvent {}
}
