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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /stats}: totals per currency and counters over the whole ledger. Each instance holds those of its own
 * partitions, so this instance adds its part to every other instance's {@code ?scope=local} part.
 */
final class StatsRoutes {

  private final Instance instance;
  private final Forwarder forwarder;

  StatsRoutes(Instance instance, Forwarder forwarder) {
    this.instance = instance;
    this.forwarder = forwarder;
  }

  void stats(Context ctx) {
    String scope = Optional.ofNullable(ctx.queryParam("scope")).orElse("all");
    if (!scope.equals("all") && !scope.equals("local")) {
      throw Problem.badRequest("query parameter 'scope' must be 'all' or 'local', got '" + scope + "'");
    }
    Instant deadline = Instant.now().plus(Params.timeout(ctx));
    ObjectNode stats = localPart(deadline);
    List<String> instances = new ArrayList<>(List.of(instance.address()));
    if (scope.equals("all")) {
      for (HostInfo other : otherInstances()) {
        add(stats, partOf(ctx, other, deadline));
        instances.add(address(other));
      }
    }
    stats.set("instances", Json.tree(instances));
    Json.ok(ctx, stats);
  }

  private ObjectNode localPart(Instant deadline) {
    while (true) {
      try {
        LocalProjections projections = instance.backend().projections();
        ObjectNode part = JsonNodeFactory.instance.objectNode();
        part.set("totals", Json.tree(projections.localTotals()));
        part.set("counts", Json.tree(projections.localCounts()));
        return part;
      } catch (InvalidStateStoreException e) {
        if (!Instant.now().isBefore(deadline)) {
          throw Problem.unavailable("the stats of this instance are being restored; retry shortly");
        }
        KeyQueries.pause(Duration.ofMillis(25));
      }
    }
  }

  private List<HostInfo> otherInstances() {
    return instance.backend().projectionsStreams().metadataForAllStreamsClients().stream()
        .map(StreamsMetadata::hostInfo)
        .filter(host -> !host.equals(instance.self()) && host.port() > 0)
        .distinct()
        .toList();
  }

  private JsonNode partOf(Context ctx, HostInfo other, Instant deadline) {
    Optional<HttpResponse<byte[]>> reply = forwarder.get(ctx, other, "/stats?scope=local", KeyQueries.remaining(deadline));
    if (reply.isEmpty() || reply.get().statusCode() != 200) {
      throw Problem.unavailable("instance " + address(other) + " did not give its part ("
          + reply.map(r -> "status " + r.statusCode()).orElse("unreachable") + "); retry shortly");
    }
    try {
      ObjectNode part = (ObjectNode) Json.MAPPER.readTree(reply.get().body());
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
