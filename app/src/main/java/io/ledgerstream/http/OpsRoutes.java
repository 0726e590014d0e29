package io.ledgerstream.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/** Operations routes: liveness, readiness, Prometheus metrics and the OpenAPI document. */
final class OpsRoutes {

  private final Instance instance;
  private final HttpMetrics metrics;
  private final OpenApi openApi;
  private volatile byte[] document;

  /** @param openApi the server's document, complete once every route was added */
  OpsRoutes(Instance instance, HttpMetrics metrics, OpenApi openApi) {
    this.instance = instance;
    this.metrics = metrics;
    this.openApi = openApi;
  }

  void live(Context ctx) {
    Json.ok(ctx, Map.of("status", "UP"));
  }

  /** Ready when every streams application of this instance runs and its stores answer. */
  void ready(Context ctx) {
    ApiBackend backend = instance.attachedOrNull();
    if (backend == null) {
      throw Problem.unavailable("the node is starting");
    }
    List<String> problems = new ArrayList<>();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "UP");
    body.put("projections", check("projections", backend.projectionsStreams(), problems));
    body.put("commandSide", backend.commandSide() == null ? "DISABLED"
        : check("command side", backend.commandSide(), problems));
    if (problems.isEmpty()) {
      try {
        backend.projections().localCounts();
      } catch (InvalidStateStoreException e) {
        problems.add("the projection stores are not queryable yet");
      }
    }
    body.put("status", problems.isEmpty() ? "UP" : "DOWN");
    if (!problems.isEmpty()) {
      throw Problem.unavailable(String.join("; ", problems)).with("checks", body);
    }
    Json.ok(ctx, body);
  }

  void metrics(Context ctx) {
    ctx.contentType(HttpMetrics.CONTENT_TYPE).result(metrics.scrape());
  }

  void openApi(Context ctx) {
    if (document == null) {
      document = Json.bytes(openApi.document());
    }
    ctx.contentType(Json.CONTENT_TYPE).result(document);
  }

  private static String check(String name, KafkaStreams streams, List<String> problems) {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      problems.add("the " + name + " application is " + state);
    }
    return state.name();
  }
}
