package io.ledgerstream.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a bench run prints: a heading and measured lines per scenario while it runs, then every result as
 * {@code name = value}, ratios first, so a person reads the sections and a script reads the summary.
 */
final class Report {

  private final PrintWriter out;
  private final List<String> ratios = new ArrayList<>();
  private final List<String> values = new ArrayList<>();

  Report(PrintWriter out) {
    this.out = out;
  }

  void section(String title, String details) {
    out.println();
    out.println("== " + title);
    if (!details.isEmpty()) {
      out.println("   " + details);
    }
    out.flush();
  }

  /** A measured value, printed now and in the summary. */
  void value(String name, String label, double value, String unit) {
    line(label, format(value) + " " + unit);
    values.add(String.format(Locale.ROOT, "%s = %s", name, plain(value)));
  }

  /** A ratio of two values measured in this run, printed now and at the top of the summary. */
  void ratio(String name, String label, double ratio) {
    line(label, String.format(Locale.ROOT, "%.3f", ratio));
    ratios.add(String.format(Locale.ROOT, "%s = %.4f", name, ratio));
  }

  void note(String text) {
    out.println("   " + text);
    out.flush();
  }

  void skipped(String scenario, String why) {
    out.println("   skipped: " + why);
    values.add(scenario + " = skipped");
    out.flush();
  }

  void summary() {
    out.println();
    out.println("== Results (ratio = ledgerstream / baseline measured in this run on the same broker)");
    ratios.forEach(line -> out.println(line));
    values.forEach(line -> out.println(line));
    out.flush();
  }

  private void line(String label, String value) {
    out.printf(Locale.ROOT, "   %-46s %s%n", label, value);
    out.flush();
  }

  private static String format(double value) {
    return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%,.2f", value);
  }

  private static String plain(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
