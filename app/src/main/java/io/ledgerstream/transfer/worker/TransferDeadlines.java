package io.ledgerstream.transfer.worker;

import java.time.Duration;
import java.util.Map;

/**
 * How long the transfer worker waits for the answer to a step before sending it again, and how many times it sends
 * a leg on an account before giving that leg up. They reach the worker through the command side's streams
 * configuration, under {@link #STEP_TIMEOUT_CONFIG} and {@link #MAX_TRIES_CONFIG}.
 */
public record TransferDeadlines(Duration stepTimeout, int maxTries) {

  public static final int DEFAULT_STEP_TIMEOUT_SECONDS = 30;
  public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(DEFAULT_STEP_TIMEOUT_SECONDS);
  public static final int DEFAULT_MAX_TRIES = 5;
  public static final TransferDeadlines DEFAULTS = new TransferDeadlines(DEFAULT_STEP_TIMEOUT, DEFAULT_MAX_TRIES);
  public static final String STEP_TIMEOUT_CONFIG = "ledger.transfer.step.timeout.ms";
  public static final String MAX_TRIES_CONFIG = "ledger.transfer.max.tries";

  public TransferDeadlines {
    if (stepTimeout.isNegative() || stepTimeout.isZero()) {
      throw new IllegalArgumentException("the transfer step timeout must be positive, got " + stepTimeout);
    }
    if (maxTries < 1) {
      throw new IllegalArgumentException("a transfer step needs at least 1 try, got " + maxTries);
    }
  }

  /** The streams configuration entries that carry these deadlines to the worker. */
  public Map<String, Object> config() {
    return Map.of(STEP_TIMEOUT_CONFIG, stepTimeout.toMillis(), MAX_TRIES_CONFIG, maxTries);
  }

  /** The deadlines in a streams configuration; {@link #DEFAULTS} for any entry it lacks. */
  static TransferDeadlines from(Map<String, Object> config) {
    Object timeout = config.get(STEP_TIMEOUT_CONFIG);
    Object tries = config.get(MAX_TRIES_CONFIG);
    return new TransferDeadlines(
        timeout == null ? DEFAULT_STEP_TIMEOUT : Duration.ofMillis(Long.parseLong(timeout.toString())),
        tries == null ? DEFAULT_MAX_TRIES : Integer.parseInt(tries.toString()));
  }
}
