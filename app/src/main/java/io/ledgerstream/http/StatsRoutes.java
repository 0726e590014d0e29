package io.ledgerstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ledgerstream.streams.projection.LocalProjections;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /stats}: the counters, and what the aggregate types add (totals per currency), over the whole ledger.
 * Each instance holds those of its own partitions, so this instance adds its part to every other instance's
 * {@code ?scope=local} part.
 */
final class StatsRoutes {

  private static final Duration RETRY_PAUSE = Duration.ofMillis(25);

  private final Instance instance;
  private final Forwarder forwarder;
  private final Waits waits;
  private final Map<String, Function<LocalProjections, Object>> sections = new LinkedHashMap<>();

  StatsRoutes(Instance instance, Forwarder forwarder, Waits waits) {
    this.instance = instance;
    this.forwarder = forwarder;
    this.waits = waits;
    sections.put("counts", LocalProjections::localCounts);
  }

  /** Adds a member whose local part {@code localPart} computes from this instance's partitions. */
  void addSection(String member, Function<LocalProjections, Object> localPart) {
    sections.putIfAbsent(member, localPart);
  }

  void stats(Context ctx) {
    String scope = Optional.ofNullable(ctx.queryParam("scope")).orElse("all");
    if (!scope.equals("all") && !scope.equals("local")) {
      throw Problem.badRequest("query parameter 'scope' must be 'all' or 'local', got '" + scope + "'");
    }
    Instant deadline = Instant.now().plus(Params.timeout(ctx));
    boolean everywhere = scope.equals("all") && !Forwarder.isForwarded(ctx);
    Waits.respond(ctx, localPart(deadline).thenCompose(local -> {
      ObjectNode stats = local;
      List<String> instances = new ArrayList<>(List.of(instance.address()));
      List<HostInfo> others = everywhere ? SpreadQueries.otherInstances(instance) : List.of();
      List<CompletableFuture<JsonNode>> parts = others.stream().map(other -> partOf(ctx, other, deadline)).toList();
      others.forEach(other -> instances.add(address(other)));
      return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenAccept(done -> {
        parts.forEach(part -> add(stats, part.join()));
        stats.set("instances", Json.tree(instances));
        Json.ok(ctx, stats);
      });
    }));
  }

  /** This instance's part, tried again while its stores are being restored. */
  private CompletableFuture<ObjectNode> localPart(Instant deadline) {
    try {
      LocalProjections projections = instance.backend().projections();
      ObjectNode part = JsonNodeFactory.instance.objectNode();
      sections.forEach((member, local) -> part.set(member, Json.tree(local.apply(projections))));
      return CompletableFuture.completedFuture(part);
    } catch (InvalidStateStoreException e) {
      if (!Instant.now().isBefore(deadline)) {
        return Waits.failed(Problem.unavailable("the stats of this instance are being restored; retry shortly"));
      }
      return waits.after(RETRY_PAUSE, deadline).thenCompose(ignored -> localPart(deadline));
    } catch (RuntimeException e) {
      return Waits.failed(e);
    }
  }

  private CompletableFuture<JsonNode> partOf(Context ctx, HostInfo other, Instant deadline) {
    return forwarder.get(ctx, other, "/stats?scope=local", Waits.remaining(deadline)).thenApply(reply -> {
      if (reply.isEmpty() || reply.get().statusCode() != 200) {
        throw Problem.unavailable("instance " + address(other) + " did not give its part ("
            + reply.map(r -> "status " + r.statusCode()).orElse("unreachable") + "); retry shortly");
      }
      return parse(other, reply.get());
    });
  }

  private static JsonNode parse(HostInfo other, HttpResponse<byte[]> reply) {
    try {
      ObjectNode part = (ObjectNode) Json.MAPPER.readTree(reply.body());
      part.remove("instances");
      return part;
    } catch (IOException | ClassCastException e) {
      throw Problem.unavailable("instance " + address(other) + " answered stats that are not a JSON object");
    }
  }

  /** Adds every number in {@code part} to the number at the same place in {@code sum}; copies what sum lacks. */
  static void add(ObjectNode sum, JsonNode part) {
    for (Iterator<Map.Entry<String, JsonNode>> it = part.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      JsonNode current = sum.get(member.getKey());
      JsonNode value = member.getValue();
      if (current == null) {
        sum.set(member.getKey(), value.deepCopy());
      } else if (current.isObject() && value.isObject()) {
        add((ObjectNode) current, value);
      } else if (current.isIntegralNumber() && value.isIntegralNumber()) {
        BigInteger total = current.bigIntegerValue().add(value.bigIntegerValue());
        if (total.bitLength() < Long.SIZE) {
          sum.put(member.getKey(), total.longValueExact());
        } else {
          sum.put(member.getKey(), total);
        }
      } else if (current.isNumber() && value.isNumber()) {
        sum.put(member.getKey(), current.decimalValue().add(value.decimalValue()));
      }
    }
  }

  static String address(HostInfo host) {
    return host.host() + ":" + host.port();
  }
}
