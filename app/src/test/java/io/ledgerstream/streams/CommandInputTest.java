package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.domain.account.AccountCommand.DepositMoney;
import io.ledgerstream.domain.account.AccountCommand.OpenAccount;
import org.junit.jupiter.api.Test;

class CommandInputTest {

  private static final AggregateType<?, ?, ?> ACCOUNT = AccountType.TYPE;

  @Test
  void anOrdinaryCommandPasses() {
    assertThat(CommandInput.problem(ACCOUNT, "A-1", open("alice"))).isEmpty();
    assertThat(CommandInput.problem(ACCOUNT, "A-1", deposit("salary for März, 2026 – thanks"))).isEmpty();
  }

  @Test
  void aNulInTheOwnerIsRefusedAndNamed() {
    assertThat(CommandInput.problem(ACCOUNT, "A-1", open("alice\u0000bob")))
        .hasValueSatisfying(problem -> assertThat(problem).contains("'owner'", "U+0000", "position 5"));
  }

  @Test
  void aNewlineInAReferenceIsRefused() {
    assertThat(CommandInput.problem(ACCOUNT, "A-1", deposit("line\nforged log line"))).get().asString()
        .contains("'reference'", "U+000A");
  }

  @Test
  void controlCharactersInTheAggregateIdOrTheMetadataAreRefused() {
    assertThat(CommandInput.problem(ACCOUNT, "A-\u00001", open("alice"))).get().asString().contains("aggregate id");
    AccountCommand command = open("alice");
    command.getMetadata().setCorrelationId("c\u001b[31m");
    assertThat(CommandInput.problem(ACCOUNT, "A-1", command)).get().asString().contains("'metadata.correlationId'");
  }

  @Test
  void idsAndTextHaveTheirOwnLengthLimits() {
    String longestId = "x".repeat(CommandInput.MAX_ID_LENGTH);
    AccountCommand command = open("alice");
    command.getMetadata().setCommandId(longestId);
    assertThat(CommandInput.problem(ACCOUNT, longestId, command)).isEmpty();

    command.getMetadata().setCommandId(longestId + "x");
    assertThat(CommandInput.problem(ACCOUNT, "A-1", command)).get().asString().contains("'metadata.commandId'", "at most 200");
    assertThat(CommandInput.problem(ACCOUNT, longestId + "x", open("alice"))).get().asString().contains("aggregate id");
    assertThat(CommandInput.problem(ACCOUNT, "A-1", deposit("r".repeat(CommandInput.MAX_TEXT_LENGTH)))).isEmpty();
    assertThat(CommandInput.problem(ACCOUNT, "A-1", deposit("r".repeat(CommandInput.MAX_TEXT_LENGTH + 1)))).isPresent();
  }

  @Test
  void onlyTheFieldsATypeRegistersAsFreeTextMayBeLongerThanAnId() {
    assertThat(CommandInput.problem(ACCOUNT, "A-1", open("o".repeat(CommandInput.MAX_ID_LENGTH + 1)))).get()
        .asString().contains("'owner'", "at most 200");
    assertThat(CommandInput.problem(ACCOUNT, "A-1", deposit("r".repeat(CommandInput.MAX_ID_LENGTH + 1)))).isEmpty();
  }

  @Test
  void aBlankOrMissingIdIsRefused() {
    assertThat(CommandInput.idProblem("the Idempotency-Key header", " ")).isPresent();
    assertThat(CommandInput.problem(ACCOUNT, "", open("alice"))).isPresent();
    assertThat(CommandInput.idProblem("the Idempotency-Key header", "retry-7")).isEmpty();
  }

  private static AccountCommand open(String owner) {
    return AccountType.BINDING.command(CommandFactory.metadata(null, null, null, "test"),
        new OpenAccount(owner, "EUR", 0, null));
  }

  private static AccountCommand deposit(String reference) {
    return AccountType.BINDING.command(CommandFactory.metadata(null, null, null, "test"),
        new DepositMoney(100, "EUR", reference, "test"));
  }
}
