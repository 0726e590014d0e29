package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.streams.projection.LocalProjections;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a query about one key where that key lives: from this instance's store when it owns the key (or holds a
 * standby and the client allows stale reads), otherwise by forwarding to the owner. While the key's store migrates
 * between instances, or while a read waits for something ({@code minVersion}), the query is tried again until its
 * timeout, without holding the request's thread.
 */
public final class KeyQueries {

  /** Reads the key from this instance's projections and responds. */
  @FunctionalInterface
  public interface LocalRead {

    /**
     * Responds from these projections, or returns false to be asked again shortly: a wait that is not over yet. The
     * read enforces its own deadline (a 504 problem, say). Throws {@link InvalidStateStoreException} while the store
     * cannot be read here.
     */
    boolean respond(Context ctx, LocalProjections projections, boolean stale);
  }

  private static final Duration RETRY_PAUSE = Duration.ofMillis(25);
  private static final Logger log = LoggerFactory.getLogger(KeyQueries.class);

  private final Instance instance;
  private final Forwarder forwarder;
  private final Waits waits;

  KeyQueries(Instance instance, Forwarder forwarder, Waits waits) {
    this.instance = instance;
    this.forwarder = forwarder;
    this.waits = waits;
  }

  /**
   * Answers {@code ctx} with a read of {@code key} in {@code store}, here or at the instance that owns it.
   *
   * @param key what the store is partitioned by: an aggregate id, an owner, a command id, a correlation id
   */
  public void answer(Context ctx, String store, String key, LocalRead read) {
    Query query = new Query(ctx, store, key, read, Params.flag(ctx, "allowStale"),
        Instant.now().plus(Params.timeout(ctx)), Forwarder.isForwarded(ctx));
    Waits.respond(ctx, attempt(query));
  }

  /** One query's particulars. */
  private record Query(Context ctx, String store, String key, LocalRead read, boolean allowStale, Instant deadline,
                       boolean forwarded) {
  }

  private CompletableFuture<Void> attempt(Query query) {
    ApiBackend api;
    try {
      api = instance.backend();
    } catch (Problem problem) {
      return Waits.failed(problem);
    }
    HostInfo self = instance.self();
    try {
      KeyQueryMetadata metadata = api.projections().metadata(query.store(), query.key());
      if (isAvailable(metadata)) {
        if (self.equals(metadata.activeHost())) {
          return read(query, api, false);
        }
        if (query.allowStale() && metadata.standbyHosts().contains(self)) {
          api.projections().lagOf(query.store(), metadata.partition())
              .ifPresent(lag -> query.ctx().header(Forwarder.STANDBY_LAG, Long.toString(lag)));
          return read(query, api, true);
        }
        if (query.forwarded()) {
          // one hop only: a second would risk a loop, and waiting here would let a client's header hold a query open
          return Waits.failed(Problem.unavailable("this instance does not hold '" + query.key()
              + "' now; ask any instance again"));
        }
        return forwardTo(metadata.activeHost(), query);
      }
    } catch (InvalidStateStoreException e) {
      log.debug("Store {} is not queryable for key {} yet: {}", query.store(), query.key(), e.getMessage());
      api.projections().forgetRoutes();
    } catch (RuntimeException e) {
      return Waits.failed(e);
    }
    return again(query);
  }

  private CompletableFuture<Void> read(Query query, ApiBackend api, boolean stale) {
    if (query.read().respond(query.ctx(), api.projections(), stale)) {
      return CompletableFuture.completedFuture(null);
    }
    // the read waits for something and enforces its own deadline; ask it again once that may have come
    return waits.after(RETRY_PAUSE).thenCompose(ignored -> attempt(query));
  }

  private CompletableFuture<Void> forwardTo(HostInfo owner, Query query) {
    return forwarder.forward(query.ctx(), owner, Waits.remaining(query.deadline())).thenCompose(reply -> {
      if (isRetryable(reply, query.deadline())) {
        // the owner did not answer for the key: the partition may have moved since the routes were learned
        instance.backend().projections().forgetRoutes();
        return again(query);
      }
      Forwarder.relay(reply.get(), query.ctx());
      return CompletableFuture.completedFuture(null);
    });
  }

  /** Tries again after a pause, or answers 503 once the deadline passed: the key's data is moving. */
  private CompletableFuture<Void> again(Query query) {
    if (!Instant.now().isBefore(query.deadline())) {
      return Waits.failed(Problem.unavailable("The data for '" + query.key()
          + "' is moving between instances; retry shortly."));
    }
    return waits.after(RETRY_PAUSE, query.deadline()).thenCompose(ignored -> attempt(query));
  }

  /**
   * Where a key's data is, once its store's metadata is known: this instance when it is the active owner, else the
   * owner's address; empty while no instance owns it.
   */
  Optional<HostInfo> owner(String store, String key) {
    KeyQueryMetadata metadata = instance.backend().projections().metadata(store, key);
    return isAvailable(metadata) ? Optional.of(metadata.activeHost()) : Optional.empty();
  }

  private static boolean isRetryable(Optional<HttpResponse<byte[]>> reply, Instant deadline) {
    return reply.isEmpty() || (reply.get().statusCode() == 503 && Instant.now().isBefore(deadline));
  }

  private static boolean isAvailable(KeyQueryMetadata metadata) {
    return metadata != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) && metadata.activeHost().port() > 0;
  }
}
