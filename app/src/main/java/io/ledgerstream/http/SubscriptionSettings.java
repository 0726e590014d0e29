package io.ledgerstream.http;

import java.time.Duration;

/**
 * Limits of the live event stream ({@code GET /events/stream}) on one instance.
 *
 * @param maxSubscriptions concurrent subscriptions served; one more is answered 503
 * @param bufferEvents events held per subscription for a client that reads slower than they come; a client that
 *     leaves the buffer full for two seconds gets an {@code overflow} event and is disconnected
 * @param heartbeat how long a stream stays silent before it gets a comment line, so proxies keep the connection open
 *     and a client that went away is noticed
 */
public record SubscriptionSettings(int maxSubscriptions, int bufferEvents, Duration heartbeat) {

  public static final SubscriptionSettings DEFAULTS = new SubscriptionSettings(100, 1000, Duration.ofSeconds(15));

  public SubscriptionSettings {
    if (maxSubscriptions < 1 || bufferEvents < 1) {
      throw new IllegalArgumentException("maxSubscriptions and bufferEvents must be at least 1, got "
          + maxSubscriptions + " and " + bufferEvents);
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
    }
  }
}
