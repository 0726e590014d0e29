package io.ledgerstream.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.ledgerstream.streams.StreamsSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** The Prometheus registry behind {@code GET /metrics}: request latency per route and status, and Kafka Streams metrics. */
final class HttpMetrics implements AutoCloseable {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String UNMATCHED = "unmatched";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<KafkaStreamsMetrics> streamsMetrics = new ArrayList<>();
  private final Map<Series, Timer> timers = new ConcurrentHashMap<>();
  private KafkaStreamsMetrics projectionsMetrics;

  /** One series of the request timer; route templates and status codes are few, so the map stays small. */
  private record Series(String method, String route, int status) {
  }

  /** Records one request under its route template, so ids do not explode the number of series. */
  void record(Context ctx, float millis) {
    timers.computeIfAbsent(new Series(ctx.method().name(), route(ctx), ctx.statusCode()), this::timer)
        .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
  }

  private Timer timer(Series series) {
    return Timer.builder("http.server.requests")
        .description("HTTP requests served, by route template and status")
        .tags("method", series.method(), "route", series.route(), "status", Integer.toString(series.status()))
        .register(registry);
  }

  Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  synchronized void bind(KafkaStreams streams, String application) {
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, Tags.of("application", application));
    metrics.bindTo(registry);
    streamsMetrics.add(metrics);
  }

  /** Exports the serving projections generation's metrics in place of the previous one's, under one stable label. */
  synchronized void bindProjections(KafkaStreams streams) {
    if (projectionsMetrics != null) {
      projectionsMetrics.close();
    }
    projectionsMetrics = new KafkaStreamsMetrics(streams,
        Tags.of("application", StreamsSettings.PROJECTIONS_APPLICATION_ID));
    projectionsMetrics.bindTo(registry);
  }

  String scrape() {
    return registry.scrape();
  }

  private static String route(Context ctx) {
    try {
      Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
      return endpoint == null ? UNMATCHED : endpoint.path;
    } catch (RuntimeException e) {
      return UNMATCHED;
    }
  }

  @Override
  public synchronized void close() {
    streamsMetrics.forEach(KafkaStreamsMetrics::close);
    streamsMetrics.clear();
    if (projectionsMetrics != null) {
      projectionsMetrics.close();
      projectionsMetrics = null;
    }
    registry.close();
  }
}
