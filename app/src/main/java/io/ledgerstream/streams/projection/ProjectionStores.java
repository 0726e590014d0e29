package io.ledgerstream.streams.projection;

/**
 * Names of the generic projection stores and the layout of their composite keys: the one place both are spelled.
 * Aggregate types name their own views' stores in their packages.
 *
 * <p>Composite keys join their parts with {@code '\u0000'}, so a prefix or range scan over the first part never
 * strays into another id that merely starts with the same characters.
 */
public final class ProjectionStores {

  /** commandId -> CommandResult. */
  public static final String COMMAND_RESULTS = "command-results";
  /** counter name -> count in this partition; see {@link Counters}. */
  public static final String COUNTS = "counts";
  /** {@link #correlationKey} -> {@link CorrelationEntry}; partitioned by correlationId. */
  public static final String CORRELATIONS = "correlations";

  static final char SEPARATOR = '\u0000';
  private static final int VERSION_DIGITS = 19;

  private ProjectionStores() {
  }

  /** {@link #historyKey} -> the type's event envelope: every event of every aggregate of the type. */
  public static String history(String aggregateType) {
    return aggregateType + "-history";
  }

  /**
   * Sorts an aggregate's events by version: the version is zero-padded to the 19 digits of {@code Long.MAX_VALUE}.
   * Stored: a test pins the keys to what {@code String.format("%019d")} wrote, which cost a rebuild a tenth of its
   * thread; they are padded by hand.
   */
  public static String historyKey(String aggregateId, long version) {
    if (version < 0) {
      return aggregateId + SEPARATOR + String.format("%019d", version);
    }
    String digits = Long.toString(version);
    StringBuilder key = new StringBuilder(aggregateId.length() + 1 + VERSION_DIGITS).append(aggregateId)
        .append(SEPARATOR);
    for (int pad = digits.length(); pad < VERSION_DIGITS; pad++) {
      key.append('0');
    }
    return key.append(digits).toString();
  }

  /** A key under {@code first} that a prefix scan of {@code first} finds, ordered by {@code second}. */
  public static String compositeKey(String first, String second) {
    return first + SEPARATOR + second;
  }

  public static String correlationKey(String correlationId, String entryId) {
    return compositeKey(correlationId, entryId);
  }

  /** The prefix every composite key whose first part is {@code id} starts with. */
  static String prefix(String id) {
    return id + SEPARATOR;
  }
}
