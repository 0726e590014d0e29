package io.ledgerstream.topology;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.CloseAccount;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.DepositMoney;
import io.ledgerstream.avro.OpenAccount;
import io.ledgerstream.avro.WithdrawMoney;
import java.time.Instant;
import java.util.UUID;

/** Terse builders for account command envelopes in tests. */
final class Commands {

  private Commands() {
  }

  static AccountCommand open(String owner, String currency, long overdraftLimitMinor) {
    return command(new OpenAccount(owner, currency, overdraftLimitMinor, null));
  }

  static AccountCommand deposit(long amountMinor) {
    return command(DepositMoney.newBuilder().setAmountMinor(amountMinor).setReference("test").build());
  }

  static AccountCommand withdraw(long amountMinor) {
    return command(WithdrawMoney.newBuilder().setAmountMinor(amountMinor).setReference("test").build());
  }

  static AccountCommand close() {
    return command(new CloseAccount("done"));
  }

  static AccountCommand command(Object payload) {
    return new AccountCommand(metadata(UUID.randomUUID().toString()), payload);
  }

  static CommandMetadata metadata(String commandId) {
    return CommandMetadata.newBuilder()
        .setCommandId(commandId)
        .setCorrelationId(null)
        .setCausationId(null)
        .setIssuedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .setIssuedBy("test")
        .setExpectedVersion(null)
        .build();
  }

  static AccountCommand withCommandId(AccountCommand command, String commandId) {
    AccountCommand copy = AccountCommand.newBuilder(command).build();
    copy.setMetadata(CommandMetadata.newBuilder(command.getMetadata()).setCommandId(commandId).build());
    return copy;
  }

  static AccountCommand withCorrelation(AccountCommand command, String correlationId) {
    AccountCommand copy = AccountCommand.newBuilder(command).build();
    copy.setMetadata(CommandMetadata.newBuilder(command.getMetadata()).setCorrelationId(correlationId).build());
    return copy;
  }

  static AccountCommand expecting(AccountCommand command, long expectedVersion) {
    AccountCommand copy = AccountCommand.newBuilder(command).build();
    copy.setMetadata(CommandMetadata.newBuilder(command.getMetadata()).setExpectedVersion(expectedVersion).build());
    return copy;
  }
}
