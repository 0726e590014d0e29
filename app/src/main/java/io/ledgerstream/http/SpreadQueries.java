package io.ledgerstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.ledgerstream.streams.projection.LocalProjections;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers a query whose entries lie in every instance's partitions (a correlation, an owner's accounts), like
 * {@code /stats}: this instance's entries and every other instance's ({@code ?scope=local}, a JSON array), which the
 * route then merges.
 */
public final class SpreadQueries {

  /** This instance's entries, from the partitions active here; throws {@link InvalidStateStoreException} meanwhile. */
  @FunctionalInterface
  public interface LocalEntries {
    List<?> read(LocalProjections projections);
  }

  /** Responds with the entries of every instance, as JSON trees. */
  @FunctionalInterface
  public interface Merge {
    void respond(Context ctx, List<JsonNode> entries);
  }

  private static final Duration RETRY_PAUSE = Duration.ofMillis(25);

  private final Instance instance;
  private final Forwarder forwarder;
  private final Waits waits;

  SpreadQueries(Instance instance, Forwarder forwarder, Waits waits) {
    this.instance = instance;
    this.forwarder = forwarder;
    this.waits = waits;
  }

  public void answer(Context ctx, LocalEntries local, Merge merge) {
    String scope = Optional.ofNullable(ctx.queryParam("scope")).orElse("all");
    if (!scope.equals("all") && !scope.equals("local")) {
      throw Problem.badRequest("query parameter 'scope' must be 'all' or 'local', got '" + scope + "'");
    }
    Instant deadline = Instant.now().plus(Params.timeout(ctx));
    if (scope.equals("local") || Forwarder.isForwarded(ctx)) {
      Waits.respond(ctx, localPart(local, deadline).thenAccept(mine -> Json.ok(ctx, mine)));
      return;
    }
    Waits.respond(ctx, localPart(local, deadline).thenCompose(mine -> {
      List<CompletableFuture<JsonNode>> parts = otherInstances(instance).stream()
          .map(other -> partOf(ctx, other, deadline))
          .toList();
      return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenAccept(done -> {
        List<JsonNode> entries = new ArrayList<>();
        Json.tree(mine).forEach(entries::add);
        parts.forEach(part -> part.join().forEach(entries::add));
        merge.respond(ctx, entries);
      });
    }));
  }

  /** Every other instance of the serving projections that advertises an address. */
  static List<HostInfo> otherInstances(Instance instance) {
    return instance.backend().projectionsStreams().metadataForAllStreamsClients().stream()
        .map(StreamsMetadata::hostInfo)
        .filter(host -> !host.equals(instance.self()) && host.port() > 0)
        .distinct()
        .toList();
  }

  /** This instance's part, tried again while its stores are being restored. */
  private CompletableFuture<List<?>> localPart(LocalEntries local, Instant deadline) {
    try {
      return CompletableFuture.completedFuture(local.read(instance.backend().projections()));
    } catch (InvalidStateStoreException e) {
      if (!Instant.now().isBefore(deadline)) {
        return Waits.failed(Problem.unavailable("the stores of this instance are being restored; retry shortly"));
      }
      return waits.after(RETRY_PAUSE, deadline).thenCompose(ignored -> localPart(local, deadline));
    } catch (RuntimeException e) {
      return Waits.failed(e);
    }
  }

  private CompletableFuture<JsonNode> partOf(Context ctx, HostInfo other, Instant deadline) {
    String query = ctx.queryString();
    String pathAndQuery = ctx.path() + "?" + (query == null || query.isEmpty() ? "" : query + "&") + "scope=local";
    return forwarder.get(ctx, other, pathAndQuery, Waits.remaining(deadline)).thenApply(reply -> {
      if (reply.isEmpty() || reply.get().statusCode() != 200) {
        throw Problem.unavailable("instance " + StatsRoutes.address(other) + " did not give its part ("
            + reply.map(r -> "status " + r.statusCode()).orElse("unreachable") + "); retry shortly");
      }
      return parse(other, reply.get());
    });
  }

  private static JsonNode parse(HostInfo other, HttpResponse<byte[]> reply) {
    try {
      JsonNode part = Json.MAPPER.readTree(reply.body());
      if (!part.isArray()) {
        throw new IOException("not an array");
      }
      return part;
    } catch (IOException e) {
      throw Problem.unavailable("instance " + StatsRoutes.address(other) + " answered a part that is not a JSON array");
    }
  }
}
