package io.ledgerstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.account.AccountType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A command built outside the HTTP API (the {@code send} CLI) cannot carry personal data it could not encrypt. */
class PersonalFieldsTest {

  @Test
  void namesTheSealedFieldsOfACommand() {
    assertThat(CommandFactory.sealedFields(AccountType.TYPE, "OpenAccount")).containsExactly("holder");
    assertThat(CommandFactory.sealedFields(AccountType.TYPE, "DepositMoney")).isEmpty();
  }

  @Test
  void refusesAHolderGivenInTheClearAndSaysWhereToSendIt() {
    Map<String, Object> fields = Map.of("owner", "alice", "currency", "EUR",
        "holder", Map.of("name", "Ottoline Brisbane", "email", "ob@example.test"));
    assertThatThrownBy(() -> CommandFactory.envelope(AccountType.TYPE, "OpenAccount", fields,
        CommandFactory.metadata(null, null, null, "cli")))
        .isInstanceOf(InvalidCommandException.class)
        .hasMessageContaining("'holder' is personal data")
        .hasMessageContaining("POST /accounts/{id}/commands")
        .message().doesNotContain("Ottoline");
  }

  @Test
  void anAccountWithoutAHolderStillOpens() {
    assertThat(CommandFactory.envelope(AccountType.TYPE, "OpenAccount", Map.of("owner", "alice", "currency", "EUR"),
        CommandFactory.metadata(null, null, null, "cli"))).isNotNull();
  }
}
