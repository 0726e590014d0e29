package io.ledgerstream.streams.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import org.junit.jupiter.api.Test;

class ShadowTopicsTest {

  private static final RegistryRecordSerdes SERDES = new RegistryRecordSerdes(new InMemorySchemaRegistry(), true);

  @Test
  void aShadowReadsTheRecordedCommandsAndWritesEverythingUnderItsPrefix() {
    Topics shadow = Topics.shadow(SERDES, "try1.");
    assertThat(shadow.accountCommands.name()).isEqualTo(Topics.ACCOUNT_COMMANDS);
    assertThat(shadow.transferCommands.name()).isEqualTo(Topics.TRANSFER_COMMANDS);
    assertThat(shadow.of(AccountType.TYPE).internalCommands().name()).isEqualTo("ledger.account.internal-commands");
    assertThat(shadow.commandSideOutputs()).extracting(Topic::name).containsExactly("try1.ledger.account.events",
        "try1.ledger.account.state", "try1.ledger.transfer.events", "try1.ledger.transfer.state",
        "try1.ledger.command-results", "try1.ledger.dlq", "try1.ledger.command-claims",
        "try1.ledger.account.internal-commands",
        "try1.ledger.transfer.internal-commands");
    Topics production = new Topics(SERDES);
    assertThat(production.accountEvents.name()).isEqualTo(Topics.ACCOUNT_EVENTS);
    assertThat(production.of(AccountType.TYPE).issuedCommands())
        .isSameAs(production.of(AccountType.TYPE).internalCommands());
  }

  @Test
  void aPrefixMustBeValidInTopicNames() {
    assertThatThrownBy(() -> Topics.shadow(SERDES, "a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Topics.shadow(SERDES, "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCommandSideOverShadowTopicsWritesOnlyPrefixedTopics() {
    assertThatCode(() -> ShadowReplay.requireShadowSinks(
        CommandTopology.build(Topics.shadow(SERDES, "try1."), SERDES, CommandSideConfig.DEFAULTS), "try1."))
        .doesNotThrowAnyException();
  }

  @Test
  void aTopologyThatWouldWriteToProductionIsRefused() {
    assertThatThrownBy(() -> ShadowReplay.requireShadowSinks(
        CommandTopology.build(new Topics(SERDES), SERDES, CommandSideConfig.DEFAULTS), "try1."))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("writes to ledger.");
  }

  @Test
  void theReplaysApplicationIdDropsTrailingSeparators() {
    assertThat(ShadowReplay.applicationId("try1.")).isEqualTo("ledgerstream-replay-try1");
    assertThat(ShadowReplay.applicationId("shadow_a")).isEqualTo("ledgerstream-replay-shadow_a");
  }
}
