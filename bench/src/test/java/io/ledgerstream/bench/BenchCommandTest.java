package io.ledgerstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.bench.BenchSettings.Scenario;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class BenchCommandTest {

  @Test
  void runsEveryScenarioAtTheFullSizesByDefault() {
    assertThat(parse().settings()).isEqualTo(BenchSettings.FULL);
  }

  @Test
  void quickSizesGiveWayToExplicitOptions() {
    BenchSettings settings = parse("--quick", "--commands", "500", "--latency-seconds", "2").settings();

    assertThat(settings.commands()).isEqualTo(500);
    assertThat(settings.latencyDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.rebuildEvents()).isEqualTo(BenchSettings.QUICK.rebuildEvents());
  }

  @Test
  void runsOnlyTheScenariosNamed() {
    BenchSettings settings = parse("--scenarios", "pipeline,Latency").settings();

    assertThat(settings.scenarios()).containsExactlyInAnyOrder(Scenario.PIPELINE, Scenario.LATENCY);
  }

  @Test
  void theDefaultRunHasTheFailoverButLeavesTheHourOfScalingRunsOut() {
    assertThat(parse().settings().scenarios()).contains(Scenario.FAILOVER).doesNotContain(Scenario.SCALE);
  }

  @Test
  void scaleRunsOnlyTheScalingRunsAtTheGivenSizes() {
    BenchSettings settings = parse("--scale", "--scale-sizes", "1000,2000").settings();

    assertThat(settings.scenarios()).containsExactly(Scenario.SCALE);
    assertThat(settings.scaleSizes()).containsExactly(1000, 2000);
  }

  @Test
  void refusesAnUnknownScenarioAndNamesTheKnownOnes() {
    BenchCommand command = parse("--scenarios", "pipeline,speed");

    assertThatThrownBy(command::settings).isInstanceOf(ParameterException.class)
        .hasMessageContaining("speed").hasMessageContaining("footprint");
  }

  @Test
  void refusesSizesBelowOne() {
    assertThatThrownBy(parse("--commands", "0")::settings).isInstanceOf(ParameterException.class)
        .hasMessageContaining("commands");
  }

  private static BenchCommand parse(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
