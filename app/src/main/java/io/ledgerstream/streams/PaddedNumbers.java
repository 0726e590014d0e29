package io.ledgerstream.streams;

/**
 * Numbers zero-padded to the 19 digits of {@code Long.MAX_VALUE}, so that the text order of the keys that hold them is
 * the numbers' order: the bytes {@code String.format("%019d")} writes, without its cost (a tenth of a stream thread
 * where every record formats a key).
 */
public final class PaddedNumbers {

  public static final int DIGITS = 19;

  private PaddedNumbers() {
  }

  /** {@code number} padded; what {@code String.format("%019d", number)} returns. */
  public static String of(long number) {
    return append(new StringBuilder(DIGITS), number).toString();
  }

  /** Appends {@code number} padded to {@code to}, as {@code String.format("%019d", number)} writes it. */
  public static StringBuilder append(StringBuilder to, long number) {
    if (number < 0) {
      return to.append(String.format("%019d", number));
    }
    String digits = Long.toString(number);
    for (int pad = digits.length(); pad < DIGITS; pad++) {
      to.append('0');
    }
    return to.append(digits);
  }
}
