package io.ledgerstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RebuildProgressTest {

  @Test
  void showsDoneOfTotalRateAndEtaOnOneRewrittenLine() {
    String line = RebuildProgress.line(2, 4_000, 10_000, 1_000, 6_000);
    assertThat(line).startsWith("\rgeneration 2 [##########--------------]  40%")
        .contains("4,000/10,000 records").contains("1,000/s").contains("ETA 6s")
        .doesNotContain("\n");
  }

  @Test
  void anUnknownRateHasNoEta() {
    assertThat(RebuildProgress.line(3, 0, 500, 0, 500)).contains("  0%").contains("ETA --");
  }

  @Test
  void longEtasReadInMinutesAndHours() {
    assertThat(RebuildProgress.line(2, 0, 1_000_000, 100, 90_000)).contains("ETA 15m00s");
    assertThat(RebuildProgress.line(2, 0, 1_000_000, 10, 90_000)).contains("ETA 2h30m");
  }

  @Test
  void nothingToDoIsComplete() {
    assertThat(RebuildProgress.line(2, 0, 0, 0, 0)).contains("[########################] 100%").contains("ETA 0s");
  }
}
