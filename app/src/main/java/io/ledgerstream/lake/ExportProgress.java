package io.ledgerstream.lake;

/**
 * How far an export has come.
 *
 * @param events events written to lake files so far, published or not yet
 * @param files files published so far
 * @param remainingOffsets offsets left before the end: to the end offsets taken at the start when exporting until
 *     caught up, to the latest known end (the consumer lag) when following
 * @param totalOffsets offsets to export in all when exporting until caught up; -1 when following
 */
public record ExportProgress(long events, int files, long remainingOffsets, long totalOffsets) {

  public boolean following() {
    return totalOffsets < 0;
  }
}
