package io.ledgerstream.streams;

import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.domain.Decider;
import io.ledgerstream.domain.account.Account;
import io.ledgerstream.domain.account.AccountCommand;
import io.ledgerstream.domain.account.AccountDecider;
import io.ledgerstream.domain.account.AccountEvent;

/** Maps the account's Avro records to its domain records and back. */
public final class AccountBinding implements AggregateBinding<AccountCommand, AccountEvent, Account,
    io.ledgerstream.avro.AccountCommand, io.ledgerstream.avro.AccountEvent, AccountState> {

  public static final String TYPE = "account";

  private final AccountDecider decider = new AccountDecider();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Decider<AccountCommand, AccountEvent, Account> decider() {
    return decider;
  }

  @Override
  public CommandMetadata metadata(io.ledgerstream.avro.AccountCommand command) {
    return command.getMetadata();
  }

  @Override
  public AccountCommand command(io.ledgerstream.avro.AccountCommand command) {
    Object payload = command.getPayload();
    if (payload instanceof io.ledgerstream.avro.OpenAccount c) {
      return new AccountCommand.OpenAccount(c.getOwner(), c.getCurrency(), c.getOverdraftLimitMinor());
    }
    if (payload instanceof io.ledgerstream.avro.DepositMoney c) {
      return new AccountCommand.DepositMoney(c.getAmountMinor(), c.getCurrency(), c.getReference(), c.getChannel());
    }
    if (payload instanceof io.ledgerstream.avro.WithdrawMoney c) {
      return new AccountCommand.WithdrawMoney(c.getAmountMinor(), c.getCurrency(), c.getReference(), c.getChannel());
    }
    if (payload instanceof io.ledgerstream.avro.CloseAccount c) {
      return new AccountCommand.CloseAccount(c.getReason());
    }
    if (payload instanceof io.ledgerstream.avro.DebitForTransfer c) {
      return new AccountCommand.DebitForTransfer(c.getTransferId(), c.getAmountMinor(), c.getCurrency(), c.getCounterpartyAccountId());
    }
    if (payload instanceof io.ledgerstream.avro.CreditForTransfer c) {
      return new AccountCommand.CreditForTransfer(c.getTransferId(), c.getAmountMinor(), c.getCurrency(), c.getCounterpartyAccountId());
    }
    if (payload instanceof io.ledgerstream.avro.RefundTransfer c) {
      return new AccountCommand.RefundTransfer(c.getTransferId(), c.getAmountMinor());
    }
    throw new IllegalArgumentException("unknown account command payload: " + describe(payload));
  }

  @Override
  public io.ledgerstream.avro.AccountEvent event(EventMetadata metadata, AccountEvent event) {
    return new io.ledgerstream.avro.AccountEvent(metadata, payload(event));
  }

  @Override
  public AccountEvent event(io.ledgerstream.avro.AccountEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof io.ledgerstream.avro.AccountOpened e) {
      return new AccountEvent.AccountOpened(e.getOwner(), e.getCurrency(), e.getOverdraftLimitMinor());
    }
    if (payload instanceof io.ledgerstream.avro.MoneyDeposited e) {
      return new AccountEvent.MoneyDeposited(e.getAmountMinor(), e.getReference(), e.getChannel());
    }
    if (payload instanceof io.ledgerstream.avro.MoneyWithdrawn e) {
      return new AccountEvent.MoneyWithdrawn(e.getAmountMinor(), e.getReference(), e.getChannel());
    }
    if (payload instanceof io.ledgerstream.avro.TransferDebited e) {
      return new AccountEvent.TransferDebited(e.getTransferId(), e.getAmountMinor(), e.getCounterpartyAccountId());
    }
    if (payload instanceof io.ledgerstream.avro.TransferCredited e) {
      return new AccountEvent.TransferCredited(e.getTransferId(), e.getAmountMinor(), e.getCounterpartyAccountId());
    }
    if (payload instanceof io.ledgerstream.avro.TransferRefunded e) {
      return new AccountEvent.TransferRefunded(e.getTransferId(), e.getAmountMinor());
    }
    if (payload instanceof io.ledgerstream.avro.AccountClosed e) {
      return new AccountEvent.AccountClosed(e.getReason());
    }
    throw new IllegalArgumentException("unknown account event payload: " + describe(payload));
  }

  @Override
  public AccountState snapshot(String accountId, Snapshot<Account> snapshot) {
    Account account = snapshot.state();
    return AccountState.newBuilder()
        .setAccountId(accountId)
        .setOwner(account.owner())
        .setCurrency(account.currency())
        .setBalanceMinor(account.balanceMinor())
        .setOverdraftLimitMinor(account.overdraftLimitMinor())
        .setStatus(account.status() == Account.Status.CLOSED ? AccountStatus.CLOSED : AccountStatus.OPEN)
        .setVersion(snapshot.version())
        .setOpenedAt(snapshot.createdAt())
        .setUpdatedAt(snapshot.updatedAt())
        .build();
  }

  @Override
  public Snapshot<Account> snapshot(AccountState state) {
    Account.Status status = state.getStatus() == AccountStatus.CLOSED ? Account.Status.CLOSED : Account.Status.OPEN;
    Account account = new Account(status, state.getOwner(), state.getCurrency(), state.getBalanceMinor(),
        state.getOverdraftLimitMinor());
    return new Snapshot<>(account, state.getVersion(), state.getOpenedAt(), state.getUpdatedAt());
  }

  private static Object payload(AccountEvent event) {
    if (event instanceof AccountEvent.AccountOpened e) {
      return new io.ledgerstream.avro.AccountOpened(e.owner(), e.currency(), e.overdraftLimitMinor());
    }
    if (event instanceof AccountEvent.MoneyDeposited e) {
      return new io.ledgerstream.avro.MoneyDeposited(e.amountMinor(), e.reference(), e.channel());
    }
    if (event instanceof AccountEvent.MoneyWithdrawn e) {
      return new io.ledgerstream.avro.MoneyWithdrawn(e.amountMinor(), e.reference(), e.channel());
    }
    if (event instanceof AccountEvent.TransferDebited e) {
      return new io.ledgerstream.avro.TransferDebited(e.transferId(), e.amountMinor(), e.counterpartyAccountId());
    }
    if (event instanceof AccountEvent.TransferCredited e) {
      return new io.ledgerstream.avro.TransferCredited(e.transferId(), e.amountMinor(), e.counterpartyAccountId());
    }
    if (event instanceof AccountEvent.TransferRefunded e) {
      return new io.ledgerstream.avro.TransferRefunded(e.transferId(), e.amountMinor());
    }
    if (event instanceof AccountEvent.AccountClosed e) {
      return new io.ledgerstream.avro.AccountClosed(e.reason());
    }
    throw new IllegalArgumentException("unknown account event: " + event.getClass().getName());
  }

  private static String describe(Object payload) {
    return payload == null ? "null" : payload.getClass().getName();
  }
}
