package io.ledgerstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.transfer.worker.TransferDeadlines;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TypeOptionsTest {

  @Test
  void serveTakesTheRegisteredTypesOptionsAndHandsThemToTheCommandSide() {
    CommandLine cli = Main.commandLine();
    cli.parseArgs("serve", "--transfer-step-timeout", "PT2S", "--transfer-max-tries", "4");
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();

    assertThat(serve.typeSettings()).isEqualTo(new TransferDeadlines(Duration.ofSeconds(2), 4).config());
  }

  @Test
  void withoutTheOptionsTheTypesGetTheirDefaults() {
    CommandLine cli = Main.commandLine();
    cli.parseArgs("serve");
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();

    assertThat(serve.typeSettings()).isEqualTo(TransferDeadlines.DEFAULTS.config());
  }
}
