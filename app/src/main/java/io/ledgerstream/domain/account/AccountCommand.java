package io.ledgerstream.domain.account;

import io.ledgerstream.domain.Sealed;

/** Commands an account accepts or rejects; a null currency means "the account's own". */
public sealed interface AccountCommand {

  /** @param holder who holds the account, sealed before the command was written; null when not given */
  record OpenAccount(String owner, String currency, long overdraftLimitMinor, Sealed holder) implements AccountCommand {

    public OpenAccount(String owner, String currency, long overdraftLimitMinor) {
      this(owner, currency, overdraftLimitMinor, null);
    }
  }

  record DepositMoney(long amountMinor, String currency, String reference, String channel) implements AccountCommand {}

  record WithdrawMoney(long amountMinor, String currency, String reference, String channel) implements AccountCommand {}

  record CloseAccount(String reason) implements AccountCommand {}

  /** Source leg of a transfer, sent by the transfer worker. */
  record DebitForTransfer(String transferId, long amountMinor, String currency, String counterpartyAccountId) implements AccountCommand {}

  /** Destination leg of a transfer, sent by the transfer worker. */
  record CreditForTransfer(String transferId, long amountMinor, String currency, String counterpartyAccountId) implements AccountCommand {}

  /** Gives a debited amount back after the credit leg failed, sent by the transfer worker. */
  record RefundTransfer(String transferId, long amountMinor) implements AccountCommand {}

  /** The transfer this account was debited for reached its destination, sent by the transfer worker. */
  record SettleTransfer(String transferId) implements AccountCommand {}
}
