package io.ledgerstream.cli;

import io.ledgerstream.lake.ExportListener;
import io.ledgerstream.lake.ExportProgress;
import java.io.PrintStream;
import java.time.Duration;

/** Redraws one line of export progress on a terminal with {@code \r}: events, share of offsets done, rate and ETA. */
final class ProgressBar implements ExportListener {

  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = Duration.ofMillis(250).toNanos();

  private final PrintStream out;
  private final long startedAt = System.nanoTime();
  private long drawnAt;
  private int drawnLength;

  ProgressBar(PrintStream out) {
    this.out = out;
  }

  @Override
  public void progress(ExportProgress progress) {
    long now = System.nanoTime();
    if (now - drawnAt < REDRAW_NANOS) {
      return;
    }
    drawnAt = now;
    String line = render(progress, Duration.ofNanos(now - startedAt));
    // pad over the tail of a longer previous line
    out.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
    out.flush();
    drawnLength = line.length();
  }

  /** Ends the line, so what is printed next starts on its own. */
  void finish(ExportProgress last) {
    drawnAt = 0;
    progress(last);
    out.println();
  }

  static String render(ExportProgress progress, Duration elapsed) {
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    String rate = String.format("%,.0f ev/s", progress.events() / seconds);
    if (progress.following()) {
      return String.format("%,d events  %s  lag %,d", progress.events(), rate, progress.remainingOffsets());
    }
    long total = Math.max(progress.totalOffsets(), 1);
    long doneOffsets = progress.totalOffsets() - progress.remainingOffsets();
    double share = progress.totalOffsets() == 0 ? 1 : (double) doneOffsets / total;
    int filled = (int) Math.round(share * WIDTH);
    String bar = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
    String eta = doneOffsets == 0 ? "--:--" : clock(Duration.ofMillis(
        (long) (elapsed.toMillis() * (double) progress.remainingOffsets() / doneOffsets)));
    return String.format("%,d events  %s %3d%%  %s  ETA %s", progress.events(), bar, Math.round(share * 100), rate,
        eta);
  }

  private static String clock(Duration duration) {
    long seconds = duration.toSeconds();
    return seconds >= 3600
        ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format("%02d:%02d", seconds / 60, seconds % 60);
  }
}
