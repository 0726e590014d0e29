package io.ledgerstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.lake.ExportProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The export progress line: what it says, and that it redraws one terminal line. */
class ProgressBarTest {

  @Test
  void showsEventsShareOfOffsetsRateAndTimeLeft() {
    String line = ProgressBar.render(new ExportProgress(3_000, 3, 750, 1_000), Duration.ofSeconds(10));

    assertThat(line).isEqualTo("3,000 events  [######------------------]  25%  300 ev/s  ETA 00:30");
  }

  @Test
  void showsTheLagWhenFollowing() {
    String line = ProgressBar.render(new ExportProgress(1_200, 2, 40, -1), Duration.ofSeconds(4));

    assertThat(line).isEqualTo("1,200 events  300 ev/s  lag 40");
  }

  @Test
  void aLakeAlreadyCaughtUpIsDone() {
    String line = ProgressBar.render(new ExportProgress(0, 0, 0, 0), Duration.ofMillis(300));

    assertThat(line).startsWith("0 events  [########################] 100%");
  }

  @Test
  void redrawsInPlaceAndEndsTheLineWhenFinished() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    bar.progress(new ExportProgress(10, 1, 90, 100));
    bar.finish(new ExportProgress(100, 4, 0, 100));

    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertThat(drawn).startsWith("\r10 events").contains("\r100 events").endsWith(System.lineSeparator());
  }
}
