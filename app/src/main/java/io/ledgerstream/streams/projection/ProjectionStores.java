package io.ledgerstream.streams.projection;

import io.ledgerstream.streams.PaddedNumbers;

/**
 * Names of the generic projection stores and the layout of their composite keys: the one place both are spelled.
 * Aggregate types name their own views' stores in their packages.
 *
 * <p>Composite keys join their parts with {@code '\u0000'}, so a prefix or range scan over the first part never
 * strays into another id that merely starts with the same characters. Each part is escaped first ({@link #part}), so
 * the encoding stays one-to-one even for a part that holds the separator: no crafted id reaches into another's range,
 * whatever the checks at the door let through. Ids without {@code '\u0000'} or {@code '\u0001'} (every id the
 * ledger accepts) are written as they are, so keys stored before the escaping read the same.
 */
public final class ProjectionStores {

  /** commandId -> CommandResult. */
  public static final String COMMAND_RESULTS = "command-results";
  /** counter name -> count in this partition; see {@link Counters}. */
  public static final String COUNTS = "counts";
  /** {@link #correlationKey} -> {@link CorrelationEntry}; partitioned by correlationId. */
  public static final String CORRELATIONS = "correlations";

  static final char SEPARATOR = '\u0000';
  private static final char ESCAPE = '\u0001';

  private ProjectionStores() {
  }

  /** {@link #historyKey} -> the type's event envelope: every event of every aggregate of the type. */
  public static String history(String aggregateType) {
    return aggregateType + "-history";
  }

  /**
   * Sorts an aggregate's events by version: the version is zero-padded to the 19 digits of {@code Long.MAX_VALUE}.
   * Stored: a test pins the keys to what {@code String.format("%019d")} wrote ({@link PaddedNumbers}).
   */
  public static String historyKey(String aggregateId, long version) {
    String id = part(aggregateId);
    return PaddedNumbers.append(new StringBuilder(id.length() + 1 + 20).append(id).append(SEPARATOR), version).toString();
  }

  /** The version a {@link #historyKey} of a version from 0 on holds. */
  static long historyVersion(String historyKey) {
    return Long.parseLong(historyKey, historyKey.length() - PaddedNumbers.DIGITS, historyKey.length(), 10);
  }

  /** A key under {@code first} that a prefix scan of {@code first} finds, ordered by {@code second}. */
  public static String compositeKey(String first, String second) {
    return part(first) + SEPARATOR + part(second);
  }

  public static String correlationKey(String correlationId, String entryId) {
    return compositeKey(correlationId, entryId);
  }

  /** The prefix every composite key whose first part is {@code id} starts with. */
  static String prefix(String id) {
    return part(id) + SEPARATOR;
  }

  /**
   * One part of a composite key with the separator and the escape character escaped ({@code \u0000 -> \u0001\u0001},
   * {@code \u0001 -> \u0001\u0002}): one-to-one, free of the separator, and in the same order as the text.
   */
  static String part(String text) {
    if (text.indexOf(SEPARATOR) < 0 && text.indexOf(ESCAPE) < 0) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == SEPARATOR || c == ESCAPE) {
        escaped.append(ESCAPE).append(c == SEPARATOR ? '\u0001' : '\u0002');
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
