package io.ledgerstream.account;

import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.SealedHolder;
import io.ledgerstream.domain.Decider;
import io.ledgerstream.domain.Sealed;
import io.ledgerstream.domain.account.Account;
import io.ledgerstream.domain.account.AccountCommand;
import io.ledgerstream.domain.account.AccountDecider;
import io.ledgerstream.domain.account.AccountEvent;
import io.ledgerstream.streams.AggregateBinding;
import io.ledgerstream.streams.Snapshot;
import java.nio.ByteBuffer;

/** Maps the account's Avro records to its domain records and back; a snapshot needs an opened account. */
public final class AccountBinding implements AggregateBinding<AccountCommand, AccountEvent, Account,
    io.ledgerstream.avro.AccountCommand, io.ledgerstream.avro.AccountEvent, AccountState> {

  private final AccountDecider decider = new AccountDecider();

  @Override
  public Decider<AccountCommand, AccountEvent, Account> decider() {
    return decider;
  }

  @Override
  public AccountCommand command(io.ledgerstream.avro.AccountCommand command) {
    Object payload = command.getPayload();
    if (payload instanceof io.ledgerstream.avro.OpenAccount c) {
      return new AccountCommand.OpenAccount(c.getOwner(), c.getCurrency(), c.getOverdraftLimitMinor(),
          sealed(c.getHolder()));
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
    if (payload instanceof io.ledgerstream.avro.SettleTransfer c) {
      return new AccountCommand.SettleTransfer(c.getTransferId());
    }
    throw new IllegalArgumentException("unknown account command payload: " + describe(payload));
  }

  @Override
  public io.ledgerstream.avro.AccountCommand command(CommandMetadata metadata, AccountCommand command) {
    return new io.ledgerstream.avro.AccountCommand(metadata, payload(command));
  }

  @Override
  public io.ledgerstream.avro.AccountEvent event(EventMetadata metadata, AccountEvent event) {
    return new io.ledgerstream.avro.AccountEvent(metadata, payload(event));
  }

  @Override
  public AccountEvent event(io.ledgerstream.avro.AccountEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof io.ledgerstream.avro.AccountOpened e) {
      return new AccountEvent.AccountOpened(e.getOwner(), e.getCurrency(), e.getOverdraftLimitMinor(),
          sealed(e.getHolder()));
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
    if (payload instanceof io.ledgerstream.avro.TransferSettled e) {
      return new AccountEvent.TransferSettled(e.getTransferId());
    }
    throw new IllegalArgumentException("unknown account event payload: " + describe(payload));
  }

  @Override
  public AccountState snapshot(String accountId, Snapshot<Account> snapshot) {
    Account account = snapshot.state();
    AccountStatus status = status(account.status());
    return AccountState.newBuilder()
        .setAccountId(accountId)
        .setOwner(account.owner())
        .setCurrency(account.currency())
        .setBalanceMinor(account.balanceMinor())
        .setOverdraftLimitMinor(account.overdraftLimitMinor())
        .setStatus(status)
        .setVersion(snapshot.version())
        .setOpenedAt(snapshot.createdAt())
        .setUpdatedAt(snapshot.updatedAt())
        .setTransfersInFlight(account.transfersInFlight())
        .setHolder(sealed(account.holder()))
        .build();
  }

  @Override
  public Snapshot<Account> snapshot(AccountState state) {
    Account account = new Account(status(state.getStatus()), state.getOwner(), state.getCurrency(),
        state.getBalanceMinor(), state.getOverdraftLimitMinor(),
        state.getTransfersInFlight().stream().map(CharSequence::toString).toList(), sealed(state.getHolder()));
    return new Snapshot<>(account, state.getVersion(), state.getOpenedAt(), state.getUpdatedAt());
  }

  private static AccountStatus status(Account.Status status) {
    return switch (status) {
      case OPEN -> AccountStatus.OPEN;
      case CLOSED -> AccountStatus.CLOSED;
      // the processor snapshots only after an event, and the first one is always AccountOpened
      case NOT_OPENED -> throw new IllegalArgumentException("an account that was never opened has no snapshot");
    };
  }

  private static Account.Status status(AccountStatus status) {
    return switch (status) {
      case OPEN -> Account.Status.OPEN;
      case CLOSED -> Account.Status.CLOSED;
    };
  }

  private static Object payload(AccountCommand command) {
    if (command instanceof AccountCommand.OpenAccount c) {
      return new io.ledgerstream.avro.OpenAccount(c.owner(), c.currency(), c.overdraftLimitMinor(), sealed(c.holder()));
    }
    if (command instanceof AccountCommand.DepositMoney c) {
      return new io.ledgerstream.avro.DepositMoney(c.amountMinor(), c.reference(), c.channel(), c.currency());
    }
    if (command instanceof AccountCommand.WithdrawMoney c) {
      return new io.ledgerstream.avro.WithdrawMoney(c.amountMinor(), c.reference(), c.channel(), c.currency());
    }
    if (command instanceof AccountCommand.CloseAccount c) {
      return new io.ledgerstream.avro.CloseAccount(c.reason());
    }
    if (command instanceof AccountCommand.DebitForTransfer c) {
      return new io.ledgerstream.avro.DebitForTransfer(c.transferId(), c.amountMinor(), c.counterpartyAccountId(),
          c.currency());
    }
    if (command instanceof AccountCommand.CreditForTransfer c) {
      return new io.ledgerstream.avro.CreditForTransfer(c.transferId(), c.amountMinor(), c.counterpartyAccountId(),
          c.currency());
    }
    if (command instanceof AccountCommand.RefundTransfer c) {
      return new io.ledgerstream.avro.RefundTransfer(c.transferId(), c.amountMinor());
    }
    if (command instanceof AccountCommand.SettleTransfer c) {
      return new io.ledgerstream.avro.SettleTransfer(c.transferId());
    }
    throw new IllegalArgumentException("unknown account command: " + command.getClass().getName());
  }

  private static Object payload(AccountEvent event) {
    if (event instanceof AccountEvent.AccountOpened e) {
      return new io.ledgerstream.avro.AccountOpened(e.owner(), e.currency(), e.overdraftLimitMinor(),
          sealed(e.holder()));
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
    if (event instanceof AccountEvent.TransferSettled e) {
      return new io.ledgerstream.avro.TransferSettled(e.transferId());
    }
    throw new IllegalArgumentException("unknown account event: " + event.getClass().getName());
  }

  private static Sealed sealed(SealedHolder holder) {
    if (holder == null) {
      return null;
    }
    ByteBuffer bytes = holder.getCiphertext().duplicate();
    byte[] ciphertext = new byte[bytes.remaining()];
    bytes.get(ciphertext);
    return new Sealed(holder.getKeyId(), ciphertext);
  }

  private static SealedHolder sealed(Sealed holder) {
    return holder == null ? null : new SealedHolder(holder.keyId(), ByteBuffer.wrap(holder.ciphertext()));
  }

  private static String describe(Object payload) {
    return payload == null ? "null" : payload.getClass().getName();
  }
}
