package io.ledgerstream.transfer.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferDeadlinesTest {

  @Test
  void reachTheWorkerThroughTheStreamsConfigurationUnchanged() {
    TransferDeadlines deadlines = new TransferDeadlines(Duration.ofMillis(1_500), 7);

    assertThat(TransferDeadlines.from(new HashMap<>(deadlines.config()))).isEqualTo(deadlines);
  }

  @Test
  void aConfigurationWithoutThemGivesTheDefaults() {
    assertThat(TransferDeadlines.from(Map.of())).isEqualTo(TransferDeadlines.DEFAULTS);
    assertThat(TransferDeadlines.DEFAULTS).isEqualTo(new TransferDeadlines(Duration.ofSeconds(30), 5));
  }

  @Test
  void refuseATimeoutThatIsNotPositiveAndFewerThanOneTry() {
    assertThatThrownBy(() -> new TransferDeadlines(Duration.ZERO, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> new TransferDeadlines(Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 try");
  }
}
