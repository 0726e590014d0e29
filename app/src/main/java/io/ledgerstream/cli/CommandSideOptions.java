package io.ledgerstream.cli;

import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.Topics;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The command side's tunables, shared by everything that runs a command side ({@code serve}, {@code replay}). */
final class CommandSideOptions {

  @Option(names = "--dedupe-window", defaultValue = Topics.COMMAND_RETENTION_ISO,
      description = "How long a command id is remembered for retries, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration dedupeWindow;

  @Option(names = "--max-command-bytes", defaultValue = "" + CommandSideConfig.DEFAULT_MAX_COMMAND_BYTES,
      description = "Larger commands go to the dead-letter topic (default: ${DEFAULT-VALUE}).")
  int maxCommandBytes;

  CommandSideConfig config() {
    return new CommandSideConfig(dedupeWindow, maxCommandBytes);
  }
}
