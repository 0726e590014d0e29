package io.ledgerstream.bench;

import java.io.PrintStream;
import java.util.function.DoubleConsumer;

/** A progress bar redrawn in place on a terminal's stderr; silent when stderr is not a terminal. */
final class ProgressLine implements DoubleConsumer {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final long startedAt = System.nanoTime();
  private long drawnAt;
  private boolean finished;

  private ProgressLine(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = total;
  }

  /** A bar for {@code total} units of work, or one that draws nothing without a terminal. */
  static DoubleConsumer onTerminal(String label, long total) {
    return System.console() == null ? share -> { } : new ProgressLine(System.err, label, total);
  }

  @Override
  public void accept(double share) {
    long now = System.nanoTime();
    if (finished || (now - drawnAt < REDRAW_NANOS && share < 1)) {
      return;
    }
    drawnAt = now;
    double seconds = Math.max(1e-3, (now - startedAt) / 1e9);
    int filled = (int) Math.round(Math.min(1, share) * WIDTH);
    String eta = share <= 0 ? "--" : String.format("%.0f s", seconds * (1 - share) / share);
    out.printf("\r%s [%s%s] %3.0f%%  %,.0f/s  ETA %s   ", label, "#".repeat(filled), "-".repeat(WIDTH - filled),
        share * 100, share * total / seconds, eta);
    if (share >= 1) {
      finished = true;
      out.println();
    }
    out.flush();
  }
}
