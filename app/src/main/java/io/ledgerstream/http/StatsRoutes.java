package io.ledgerstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
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
 * {@code GET /stats}: totals per currency over the whole ledger. Each instance holds the totals of its own partitions,
 * so this instance adds its part to every other instance's {@code ?scope=local} part.
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
    ObjectNode totals = localTotals(deadline);
    List<String> instances = new ArrayList<>(List.of(instance.address()));
    if (scope.equals("all") && !Forwarder.isForwarded(ctx)) {
      for (HostInfo other : otherInstances()) {
        add(totals, totalsOf(other, deadline));
        instances.add(address(other));
      }
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("totals", totals);
    body.set("instances", Json.tree(instances));
    Json.ok(ctx, body);
  }

  private ObjectNode localTotals(Instant deadline) {
    while (true) {
      try {
        return (ObjectNode) Json.tree(instance.backend().projections().localTotals());
      } catch (InvalidStateStoreException e) {
        if (!Instant.now().isBefore(deadline)) {
          throw Problem.unavailable("the totals of this instance are being restored; retry shortly");
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

  private JsonNode totalsOf(HostInfo instance, Instant deadline) {
    Optional<HttpResponse<byte[]>> reply = forwarder.get(instance, "/stats?scope=local", KeyQueries.remaining(deadline));
    if (reply.isEmpty() || reply.get().statusCode() != 200) {
      throw Problem.unavailable("instance " + address(instance) + " did not give its totals ("
          + reply.map(r -> "status " + r.statusCode()).orElse("unreachable") + "); retry shortly");
    }
    try {
      return Json.MAPPER.readTree(reply.get().body()).path("totals");
    } catch (IOException e) {
      throw Problem.unavailable("instance " + address(instance) + " answered totals that are not JSON");
    }
  }

  /** Adds every number of {@code part} to the same member of {@code sum}, currency by currency. */
  static void add(ObjectNode sum, JsonNode part) {
    for (Iterator<Map.Entry<String, JsonNode>> it = part.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> currency = it.next();
      JsonNode existing = sum.get(currency.getKey());
      if (existing == null || !existing.isObject()) {
        sum.set(currency.getKey(), currency.getValue().deepCopy());
        continue;
      }
      ObjectNode target = (ObjectNode) existing;
      for (Iterator<Map.Entry<String, JsonNode>> fields = currency.getValue().fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode current = target.get(field.getKey());
        if (current != null && current.isIntegralNumber() && field.getValue().isIntegralNumber()) {
          target.put(field.getKey(), current.bigIntegerValue().add(field.getValue().bigIntegerValue()));
        } else if (current != null && current.isNumber() && field.getValue().isNumber()) {
          target.put(field.getKey(), current.decimalValue().add(field.getValue().decimalValue()));
        } else if (current == null) {
          target.set(field.getKey(), field.getValue().deepCopy());
        }
      }
    }
  }

  static String address(HostInfo host) {
    return host.host() + ":" + host.port();
  }
}
