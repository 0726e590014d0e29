package io.ledgerstream.cli;

import java.util.Locale;

/** One line of progress for a terminal, rewritten in place with a carriage return. */
final class RebuildProgress {

  private static final int WIDTH = 24;

  private RebuildProgress() {
  }

  /** {@code \rgeneration 2 [#########---------]  40%  4,000/10,000 records  1,000/s  ETA 6s}. */
  static String line(int generation, long done, long total, double perSecond, long remaining) {
    double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    String eta = remaining <= 0 ? "0s" : perSecond <= 0 ? "--" : duration(Math.round(remaining / perSecond));
    return String.format(Locale.ROOT, "\rgeneration %d [%s%s] %3d%%  %,d/%,d records  %,.0f/s  ETA %s   ", generation,
        "#".repeat(filled), "-".repeat(WIDTH - filled), Math.round(fraction * 100), done, total, perSecond, eta);
  }

  private static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
    }
    return seconds / 3600 + "h" + String.format(Locale.ROOT, "%02d", seconds / 60 % 60) + "m";
  }
}
