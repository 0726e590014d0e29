package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.http.OwnershipHook.Belonging;
import io.ledgerstream.security.Principal;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.projection.ProjectionStores;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Whether a token scoped to an owner may see an aggregate, as its type's {@link OwnershipHook} says of the
 * aggregate's first event: read from this instance's history when it holds the aggregate, else asked of the instance
 * that does, with the caller's token. The reads of events, transfers and correlations filter through it; a type
 * without the hook is seen by unscoped tokens only.
 */
public final class Visibility {

  /** What a check found. */
  public enum Seen {
    YES,
    NO,
    /** This instance's history holds no event of the aggregate: it does not exist, or the history is behind. */
    NOT_YET
  }

  /** How many aggregates a check follows from one to the one that decides (a transfer to its account). */
  private static final int MAX_HOPS = 4;

  private final Instance instance;
  private final KeyQueries queries;
  private final Forwarder forwarder;
  private final Map<String, AggregateType<?, ?, ?>> types = new LinkedHashMap<>();

  Visibility(Instance instance, KeyQueries queries, Forwarder forwarder, List<AggregateType<?, ?, ?>> types) {
    this.instance = instance;
    this.queries = queries;
    this.forwarder = forwarder;
    types.forEach(type -> this.types.put(type.name(), type));
  }

  /**
   * Whether the request's principal sees aggregate {@code aggregateId} of type {@code aggregateType}; waits at most
   * the request's timeout, and only a scoped token on several instances waits at all. A 503 problem when it cannot
   * be told now.
   */
  public boolean sees(Context ctx, String aggregateType, String aggregateId) {
    Principal principal = Principal.of(ctx);
    return principal.scopedOwner().isEmpty()
        || await(check(principal, aggregateType, aggregateId), Params.timeout(ctx)) == Seen.YES;
  }

  /** Whether {@code principal} sees the aggregate; completes exceptionally with a 503 problem when it cannot tell. */
  CompletableFuture<Seen> check(Principal principal, String aggregateType, String aggregateId) {
    return check(principal, aggregateType, aggregateId, MAX_HOPS);
  }

  /** Whether {@code principal} sees an aggregate that belongs as {@code belonging} says. */
  CompletableFuture<Seen> check(Principal principal, Belonging belonging) {
    return decide(principal, belonging, MAX_HOPS);
  }

  /** The ownership hook of a type, if the type is registered and has one. */
  Optional<OwnershipHook> hookOf(String aggregateType) {
    AggregateType<?, ?, ?> type = types.get(aggregateType);
    return type == null ? Optional.empty() : type.hooks(OwnershipHook.class).stream().findFirst();
  }

  private CompletableFuture<Seen> check(Principal principal, String aggregateType, String aggregateId, int hops) {
    if (principal.scopedOwner().isEmpty()) {
      return CompletableFuture.completedFuture(Seen.YES);
    }
    Optional<OwnershipHook> hook = hookOf(aggregateType);
    if (hook.isEmpty() || aggregateId == null) {
      return CompletableFuture.completedFuture(Seen.NO);
    }
    try {
      String history = ProjectionStores.history(aggregateType);
      HostInfo holder = queries.owner(history, aggregateId).orElseThrow(() -> Problem.unavailable(
          "whose '" + aggregateId + "' is cannot be checked right now; retry"));
      if (!holder.equals(instance.self())) {
        return remote(principal, types.get(aggregateType), aggregateId, holder);
      }
      List<SpecificRecord> first = instance.backend().projections().history(aggregateType, aggregateId, 1, 1, false);
      if (first.isEmpty()) {
        return CompletableFuture.completedFuture(Seen.NOT_YET);
      }
      return decide(principal, hook.get().ownedBy(first.get(0)), hops);
    } catch (InvalidStateStoreException e) {
      return Waits.failed(Problem.unavailable("whose '" + aggregateId + "' is cannot be checked right now; retry"));
    } catch (RuntimeException e) {
      return Waits.failed(e);
    }
  }

  private CompletableFuture<Seen> decide(Principal principal, Belonging belonging, int hops) {
    if (belonging.owner() != null || belonging.aggregateType() == null) {
      return CompletableFuture.completedFuture(principal.sees(belonging.owner()) && belonging.owner() != null
          ? Seen.YES : Seen.NO);
    }
    if (hops <= 0) {
      return CompletableFuture.completedFuture(Seen.NO);
    }
    return check(principal, belonging.aggregateType(), belonging.aggregateId(), hops - 1);
  }

  /**
   * Asks the instance holding the aggregate for its first event as the principal: that route filters by owner too, so
   * 200 means seen. It answers from its own data (the request is marked forwarded), so a check never travels further.
   */
  private CompletableFuture<Seen> remote(Principal principal, AggregateType<?, ?, ?> type, String aggregateId,
                                         HostInfo holder) {
    String path = "/" + type.plural() + "/" + URLEncoder.encode(aggregateId, StandardCharsets.UTF_8)
        .replace("+", "%20") + "/events?limit=1";
    Duration timeout = Duration.ofMillis(Params.DEFAULT_TIMEOUT_MS);
    return forwarder.get(principal.token(), holder, path, timeout).thenApply(reply -> {
      int status = reply.map(HttpResponse::statusCode).orElse(503);
      if (status == 200) {
        return Seen.YES;
      }
      if (status == 404) {
        return Seen.NO;
      }
      throw Problem.unavailable("whose '" + aggregateId + "' is cannot be checked right now; retry");
    });
  }

  /** The check's outcome, waiting at most {@code timeout}; a problem when it failed or took longer. */
  static Seen await(CompletableFuture<Seen> check, Duration timeout) {
    try {
      return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : Problem.unavailable(e.getMessage());
    } catch (TimeoutException e) {
      throw Problem.unavailable("whose data this is could not be checked in time; retry");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Problem.unavailable("interrupted");
    }
  }
}
