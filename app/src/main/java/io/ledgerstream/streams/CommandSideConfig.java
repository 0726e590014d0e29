package io.ledgerstream.streams;

import java.time.Duration;

/**
 * Tunables of the command side.
 *
 * @param dedupeWindow how long a command id is remembered, so a retry within it gets its original result
 * @param maxCommandBytes commands larger than this are dead-lettered instead of decoded
 */
public record CommandSideConfig(Duration dedupeWindow, int maxCommandBytes) {

  public static final int DEFAULT_MAX_COMMAND_BYTES = 64 * 1024;
  public static final CommandSideConfig DEFAULTS =
      new CommandSideConfig(Topics.COMMAND_RETENTION, DEFAULT_MAX_COMMAND_BYTES);
}
