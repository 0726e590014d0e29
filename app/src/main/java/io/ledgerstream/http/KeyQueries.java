package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.streams.projection.LocalProjections;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a query about one key where that key lives: from this instance's store when it owns the key (or holds a
 * standby and the client allows stale reads), otherwise by forwarding to the owner. While the key's store migrates
 * between instances the query retries until its timeout.
 */
final class KeyQueries {

  /** Reads the key from this instance's projections and responds; throws {@link InvalidStateStoreException} to retry. */
  @FunctionalInterface
  interface LocalRead {
    void respond(Context ctx, LocalProjections projections, boolean stale);
  }

  private static final Duration RETRY_PAUSE = Duration.ofMillis(25);
  private static final Logger log = LoggerFactory.getLogger(KeyQueries.class);

  private final Instance instance;
  private final Forwarder forwarder;

  KeyQueries(Instance instance, Forwarder forwarder) {
    this.instance = instance;
    this.forwarder = forwarder;
  }

  void answer(Context ctx, String store, String key, LocalRead read) {
    boolean allowStale = Params.flag(ctx, "allowStale");
    Instant deadline = Instant.now().plus(Params.timeout(ctx));
    boolean forwarded = Forwarder.isForwarded(ctx);
    while (true) {
      ApiBackend api = instance.backend();
      HostInfo self = instance.self();
      try {
        KeyQueryMetadata metadata = api.projections().metadata(store, key);
        if (isAvailable(metadata)) {
          if (self.equals(metadata.activeHost())) {
            read.respond(ctx, api.projections(), false);
            return;
          }
          if (allowStale && metadata.standbyHosts().contains(self)) {
            api.projections().lagOf(store, metadata.partition())
                .ifPresent(lag -> ctx.header(Forwarder.STANDBY_LAG, Long.toString(lag)));
            read.respond(ctx, api.projections(), true);
            return;
          }
          if (forwarded) {
            // one hop only: a second would risk a loop, and waiting here would let a client's header hold a thread
            throw Problem.unavailable("this instance does not hold '" + key + "' now; ask any instance again");
          }
          if (forwardTo(metadata.activeHost(), ctx, deadline)) {
            return;
          }
        }
      } catch (InvalidStateStoreException e) {
        log.debug("Store {} is not queryable for key {} yet: {}", store, key, e.getMessage());
      }
      if (!Instant.now().isBefore(deadline)) {
        throw Problem.unavailable("The data for '" + key + "' is moving between instances; retry shortly.");
      }
      pause(RETRY_PAUSE);
    }
  }

  /**
   * Where a key's data is, once its store's metadata is known: this instance when it is the active owner, else
   * the owner's address. Throws a 503 problem if the metadata does not settle before the deadline.
   */
  HostInfo owner(String store, String key, Instant deadline) {
    while (true) {
      KeyQueryMetadata metadata = instance.backend().projections().metadata(store, key);
      if (isAvailable(metadata)) {
        return metadata.activeHost();
      }
      if (!Instant.now().isBefore(deadline)) {
        throw Problem.unavailable("No instance owns '" + key + "' right now; retry shortly.");
      }
      pause(RETRY_PAUSE);
    }
  }

  private boolean forwardTo(HostInfo owner, Context ctx, Instant deadline) {
    Optional<HttpResponse<byte[]>> reply = forwarder.forward(ctx, owner, remaining(deadline));
    boolean retryable = reply.isEmpty() || (reply.get().statusCode() == 503 && Instant.now().isBefore(deadline));
    if (retryable) {
      return false;
    }
    Forwarder.relay(reply.get(), ctx);
    return true;
  }

  private static boolean isAvailable(KeyQueryMetadata metadata) {
    return metadata != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) && metadata.activeHost().port() > 0;
  }

  static Duration remaining(Instant deadline) {
    Duration left = Duration.between(Instant.now(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Problem.unavailable("interrupted while waiting");
    }
  }
}
