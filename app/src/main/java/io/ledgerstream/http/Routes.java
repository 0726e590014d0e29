package io.ledgerstream.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.ledgerstream.streams.projection.LocalProjections;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What a {@link RouteHook} builds with: each route is registered and documented in the OpenAPI document at once, and
 * {@link #queries()} answers a key's query wherever the key lives, {@link #spread()} one spread over every instance,
 * and {@link #visibility()} says what a token scoped to an owner may see.
 */
public final class Routes {

  private final RoutesConfig routes;
  private final OpenApi openApi;
  private final KeyQueries queries;
  private final SpreadQueries spread;
  private final StatsRoutes stats;
  private final HttpMetrics metrics;
  private final Instance instance;
  private final Visibility visibility;

  Routes(RoutesConfig routes, OpenApi openApi, KeyQueries queries, SpreadQueries spread, StatsRoutes stats,
         HttpMetrics metrics, Instance instance, Visibility visibility) {
    this.routes = routes;
    this.openApi = openApi;
    this.queries = queries;
    this.spread = spread;
    this.stats = stats;
    this.metrics = metrics;
    this.instance = instance;
    this.visibility = visibility;
  }

  /** Adds {@code GET path} and its OpenAPI operation (see {@link OpenApi#op}). */
  public void get(String path, Handler handler, Map<String, Object> operation) {
    routes.get(path, handler);
    openApi.add(path, "get", operation);
  }

  /** Adds {@code POST path} and its OpenAPI operation (see {@link OpenApi#op}). */
  public void post(String path, Handler handler, Map<String, Object> operation) {
    routes.post(path, handler);
    openApi.add(path, "post", operation);
  }

  /** Adds a schema to the OpenAPI document's components, for its operations to refer to. */
  public void schema(String name, Map<String, Object> schema) {
    openApi.schema(name, schema);
  }

  /**
   * Adds a member to {@code GET /stats}: each instance's part is computed from its own partitions, and the parts are
   * summed number by number.
   */
  public void stats(String member, Function<LocalProjections, Object> localPart, Map<String, Object> schema) {
    stats.addSection(member, localPart);
    openApi.statsMember(member, schema);
  }

  /**
   * Adds a gauge to {@code GET /metrics} whose value this instance computes from its own partitions, so the sum over
   * the instances is the ledger's; NaN while this instance serves no projections.
   */
  public void gauge(String name, String description, ToDoubleFunction<LocalProjections> localValue) {
    metrics.gauge(name, description, () -> {
      try {
        return localValue.applyAsDouble(instance.backend().projections());
      } catch (RuntimeException notServing) {
        return Double.NaN;
      }
    });
  }

  public KeyQueries queries() {
    return queries;
  }

  /** Whether a request's token sees an aggregate: always when unscoped, else as the types' ownership hooks say. */
  public Visibility visibility() {
    return visibility;
  }

  /** Answers a query whose entries every instance holds a part of. */
  public SpreadQueries spread() {
    return spread;
  }
}
