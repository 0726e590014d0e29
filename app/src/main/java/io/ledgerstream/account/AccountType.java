package io.ledgerstream.account;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.streams.AggregateType;

/** The account aggregate as the ledger registers it. */
public final class AccountType {

  /** The account's mapping between its Avro records and its domain records. */
  public static final AccountBinding BINDING = new AccountBinding();

  public static final AggregateType<AccountCommand, AccountEvent, AccountState> TYPE = AggregateType
      .builder("account", AccountCommand.class, AccountEvent.class, AccountState.class, BINDING)
      .plural("accounts")
      .tag("a")
      .workerOnly("it is sent by the transfer worker only; request a transfer with POST /transfers/{id}/commands "
          + "{\"type\":\"RequestTransfer\", ...}", "DebitForTransfer", "CreditForTransfer", "RefundTransfer", "SettleTransfer")
      .freeText("reference", "reason")
      .hook(new AccountProjections())
      .hook(new AccountRoutes())
      .hook(new AccountOwnership())
      .build();

  private AccountType() {
  }
}
