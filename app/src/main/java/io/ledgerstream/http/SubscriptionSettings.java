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
 * @param bufferBytes bytes of events held per subscription, whatever their number; the buffer is full at either limit
 * @param maxPerClient concurrent subscriptions of one client (a token's subject, or an address without
 *     authentication); one more is answered 429
 */
public record SubscriptionSettings(int maxSubscriptions, int bufferEvents, Duration heartbeat, int bufferBytes,
                                   int maxPerClient) {

  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 100;
  public static final int DEFAULT_BUFFER_EVENTS = 1000;
  public static final int DEFAULT_BUFFER_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_PER_CLIENT = 10;
  public static final SubscriptionSettings DEFAULTS = new SubscriptionSettings(DEFAULT_MAX_SUBSCRIPTIONS,
      DEFAULT_BUFFER_EVENTS, Duration.ofSeconds(15), DEFAULT_BUFFER_BYTES, DEFAULT_MAX_PER_CLIENT);

  public SubscriptionSettings {
    if (maxSubscriptions < 1 || bufferEvents < 1 || bufferBytes < 1 || maxPerClient < 1) {
      throw new IllegalArgumentException("maxSubscriptions, bufferEvents, bufferBytes and maxPerClient must be at "
          + "least 1, got " + maxSubscriptions + ", " + bufferEvents + ", " + bufferBytes + " and " + maxPerClient);
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
    }
  }

  /** Limits with the default byte bound, and no limit per client below the instance's. */
  public SubscriptionSettings(int maxSubscriptions, int bufferEvents, Duration heartbeat) {
    this(maxSubscriptions, bufferEvents, heartbeat, DEFAULT_BUFFER_BYTES, maxSubscriptions);
  }
}
