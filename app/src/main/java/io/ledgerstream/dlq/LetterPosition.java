package io.ledgerstream.dlq;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a dead letter sits in the dead-letter topic, written {@code <partition>@<offset>} wherever a person names one:
 * the CLI, the HTTP API, the re-drive records' keys and the header of a re-driven copy.
 */
public record LetterPosition(int partition, long offset) {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})@(\\d{1,18})");

  public LetterPosition {
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException("a partition and an offset are never negative: " + partition + "@" + offset);
    }
  }

  /**
   * Reads {@code <partition>@<offset>}, e.g. {@code 3@1207}.
   *
   * @throws DeadLetterException (malformed) for anything else
   */
  public static LetterPosition parse(String text) {
    Matcher matcher = FORMAT.matcher(text == null ? "" : text.strip());
    if (!matcher.matches()) {
      throw new DeadLetterException(DeadLetterException.Reason.MALFORMED,
          "a dead letter is named <partition>@<offset>, e.g. 0@42; got '" + text + "'");
    }
    return new LetterPosition(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)));
  }

  @Override
  public String toString() {
    return partition + "@" + offset;
  }
}
