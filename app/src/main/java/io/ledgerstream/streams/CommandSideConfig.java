package io.ledgerstream.streams;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Tunables of the command side.
 *
 * @param dedupeWindow how long a command id is remembered, so a retry within it gets its original result
 * @param maxCommandBytes commands larger than this are dead-lettered instead of decoded
 * @param claimedFrom for a shadow replay only: per partition of a public command topic, the offset from which the
 *     production claimed its commands (the first offset a recorded claim verdict names); earlier commands were run
 *     as they were read, before the claim stage existed. Empty for the production.
 */
public record CommandSideConfig(Duration dedupeWindow, int maxCommandBytes, Map<TopicPartition, Long> claimedFrom) {

  public static final int DEFAULT_MAX_COMMAND_BYTES = 64 * 1024;
  public static final CommandSideConfig DEFAULTS =
      new CommandSideConfig(Topics.COMMAND_RETENTION, DEFAULT_MAX_COMMAND_BYTES);

  public CommandSideConfig {
    claimedFrom = Map.copyOf(claimedFrom);
  }

  public CommandSideConfig(Duration dedupeWindow, int maxCommandBytes) {
    this(dedupeWindow, maxCommandBytes, Map.of());
  }

  /** These settings for a shadow replay of a production that claimed its public commands from these offsets on. */
  public CommandSideConfig replaying(Map<TopicPartition, Long> claimedFrom) {
    return new CommandSideConfig(dedupeWindow, maxCommandBytes, claimedFrom);
  }
}
