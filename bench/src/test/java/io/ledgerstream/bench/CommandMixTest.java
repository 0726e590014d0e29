package io.ledgerstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.domain.account.AccountCommand.DepositMoney;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandMixTest {

  @Test
  void sendsTheSameMixInEveryRun() {
    assertThat(CommandMix.mixed("a", 1000, 50)).isEqualTo(CommandMix.mixed("a", 1000, 50));
  }

  @Test
  void spreadsTheMixOverEveryAccountAndGivesEachCommandItsOwnId() {
    List<CommandMix.Command> mix = CommandMix.mixed("a", 5000, 50);

    assertThat(mix).extracting(CommandMix.Command::accountId).containsAll(
        CommandMix.opens(0, 50).stream().map(CommandMix.Command::accountId).toList());
    assertThat(mix).extracting(CommandMix.Command::commandId).doesNotHaveDuplicates();
  }

  @Test
  void aMixOfThousandsHasSomeRejectedCommandsButMostlyAcceptedOnes() {
    List<CommandMix.Command> warmUp = CommandMix.deposits("w", 100, 50);
    long rejected = PipelineScenario.rejections(warmUp, CommandMix.mixed("a", 5000, 50));

    assertThat(rejected).isBetween(100L, 2500L);
  }

  @Test
  void depositsLeadToOneEventEachAndNeverToARejection() {
    List<CommandMix.Command> deposits = CommandMix.deposits("d", 300, 7);

    assertThat(deposits).extracting(CommandMix.Command::command).allMatch(DepositMoney.class::isInstance);
    assertThat(PipelineScenario.rejections(List.of(), deposits)).isZero();
  }

  @Test
  void findsTheIndexOfItsOwnRunsCommandIdsOnly() {
    assertThat(CommandMix.indexOf("lat1", CommandMix.commandId("lat1", 42))).isEqualTo(42);
    assertThat(CommandMix.indexOf("lat1", CommandMix.commandId("lat10", 42))).isEqualTo(-1);
    assertThat(CommandMix.indexOf("lat1", null)).isEqualTo(-1);
  }

  @Test
  void hidesThePasswordOfAPostgresUrl() {
    assertThat(PostgresScenario.redact("jdbc:postgresql://h/db?user=u&password=secret&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
  }
}
