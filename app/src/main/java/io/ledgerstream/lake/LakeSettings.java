package io.ledgerstream.lake;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the lake export runs.
 *
 * @param lakeDir the lake's root directory
 * @param groupId the consumer group whose committed offsets follow the export; use one group per lake directory
 * @param rollRecords a file is completed once it holds this many events
 * @param rollBytes a file is completed once it has about this many bytes
 * @param rollAge a file is completed once it has been open this long, so a followed lake stays fresh
 */
public record LakeSettings(Path lakeDir, String groupId, int rollRecords, long rollBytes, Duration rollAge) {

  public static final String DEFAULT_GROUP_ID = "ledgerstream-lake";
  public static final int DEFAULT_ROLL_RECORDS = 1_000_000;
  public static final long DEFAULT_ROLL_BYTES = 128L * 1024 * 1024;
  public static final Duration DEFAULT_ROLL_AGE = Duration.ofMinutes(5);

  public LakeSettings {
    if (rollRecords < 1 || rollBytes < 1 || rollAge.isNegative() || rollAge.isZero()) {
      throw new IllegalArgumentException("roll limits must be positive: " + rollRecords + " records, " + rollBytes
          + " bytes, " + rollAge);
    }
  }

  /** The default group and roll limits for a lake in {@code lakeDir}. */
  public static LakeSettings defaults(Path lakeDir) {
    return new LakeSettings(lakeDir, DEFAULT_GROUP_ID, DEFAULT_ROLL_RECORDS, DEFAULT_ROLL_BYTES, DEFAULT_ROLL_AGE);
  }
}
