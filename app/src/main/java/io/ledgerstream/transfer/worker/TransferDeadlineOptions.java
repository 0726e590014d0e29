package io.ledgerstream.transfer.worker;

import io.ledgerstream.streams.CommandSideSettingsHook;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** The transfer worker's deadlines as {@code serve} options. */
public final class TransferDeadlineOptions implements CommandSideSettingsHook.Options {

  @Option(names = "--transfer-step-timeout", paramLabel = "DURATION",
      defaultValue = "PT" + TransferDeadlines.DEFAULT_STEP_TIMEOUT_SECONDS + "S",
      description = "How long the transfer worker waits for a step's answer before sending it again, ISO-8601 "
          + "(default: ${DEFAULT-VALUE}).")
  Duration stepTimeout;

  @Option(names = "--transfer-max-tries", defaultValue = "" + TransferDeadlines.DEFAULT_MAX_TRIES,
      description = "How many times the transfer worker sends a debit, credit or refund before it gives it up: "
          + "the transfer fails before the debit, is refunded after it, needs attention when the refund is not "
          + "answered (default: ${DEFAULT-VALUE}).")
  int maxTries;

  @Override
  public Map<String, Object> config() {
    return new TransferDeadlines(stepTimeout, maxTries).config();
  }
}
