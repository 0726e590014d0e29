package io.ledgerstream.streams.projection;

/**
 * Names of the projections' state stores and the layout of their composite keys: the one place both are spelled.
 *
 * <p>Composite keys join their parts with {@code '\u0000'}, so a prefix or range scan over the first part never
 * strays into another id that merely starts with the same characters.
 */
public final class ProjectionStores {

  /** accountId -> AccountState, the fold of the account's events. */
  public static final String ACCOUNT_SUMMARY = "account-summary";
  /** {@link #historyKey} -> AccountEvent. */
  public static final String ACCOUNT_HISTORY = "account-history";
  /** {@link #ownerKey} -> AccountState; partitioned by owner. */
  public static final String ACCOUNTS_BY_OWNER = "accounts-by-owner";
  /** commandId -> CommandResult. */
  public static final String COMMAND_RESULTS = "command-results";
  /** transferId -> TransferState, the fold of the transfer's events. */
  public static final String TRANSFER_STATUS = "transfer-status";
  /** currency -> {@link CurrencyTotals} of the accounts in this partition. */
  public static final String TOTALS = "totals";
  /** counter name -> count in this partition; see {@link Counters}. */
  public static final String COUNTS = "counts";
  /** {@link #correlationKey} -> {@link CorrelationEntry}; partitioned by correlationId. */
  public static final String CORRELATIONS = "correlations";

  static final char SEPARATOR = '\u0000';

  private ProjectionStores() {
  }

  /** Sorts an account's events by version: the version is zero-padded to the 19 digits of {@code Long.MAX_VALUE}. */
  public static String historyKey(String accountId, long version) {
    return accountId + SEPARATOR + String.format("%019d", version);
  }

  public static String ownerKey(String owner, String accountId) {
    return owner + SEPARATOR + accountId;
  }

  public static String correlationKey(String correlationId, String entryId) {
    return correlationId + SEPARATOR + entryId;
  }

  /** The prefix every composite key whose first part is {@code id} starts with. */
  static String prefix(String id) {
    return id + SEPARATOR;
  }
}
