package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.security.Principal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a query on to the instance that owns its key and relays the answer. The caller's bearer token goes along, so
 * every instance checks it again; a forwarded query is never forwarded again, so whatever a client puts in
 * {@value #FORWARDED_BY} it can only make an instance answer from its own data or refuse at once.
 */
final class Forwarder {

  static final String FORWARDED_BY = "X-Ledgerstream-Forwarded-By";
  static final String SERVED_BY = "X-Ledgerstream-Served-By";
  static final String STANDBY_LAG = "X-Ledgerstream-Standby-Lag";
  private static final Duration SLACK = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Instance instance;

  Forwarder(Instance instance) {
    this.instance = instance;
  }

  static boolean isForwarded(Context ctx) {
    return ctx.header(FORWARDED_BY) != null;
  }

  /** The request's own path and query, sent to {@code host}; empty when that instance cannot be reached. */
  CompletableFuture<Optional<HttpResponse<byte[]>>> forward(Context ctx, HostInfo host, Duration timeout) {
    String query = ctx.queryString();
    return get(ctx, host, ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query), timeout);
  }

  /**
   * A GET of {@code pathAndQuery} (already URL-encoded) at {@code host} on behalf of the caller of {@code ctx};
   * without holding this thread; empty when it cannot be reached.
   */
  CompletableFuture<Optional<HttpResponse<byte[]>>> get(Context ctx, HostInfo host, String pathAndQuery, Duration timeout) {
    return get(Principal.of(ctx).token(), host, pathAndQuery, timeout);
  }

  /** A GET like {@link #get(Context, HostInfo, String, Duration)} with this bearer token (null: none). */
  CompletableFuture<Optional<HttpResponse<byte[]>>> get(String token, HostInfo host, String pathAndQuery,
                                                        Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(instance.scheme() + "://" + host.host() + ":" + host.port() + pathAndQuery))
        .header(FORWARDED_BY, instance.address())
        .header("Accept", "application/json")
        .timeout(timeout.plus(SLACK))
        .GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build(), host, pathAndQuery);
  }

  private CompletableFuture<Optional<HttpResponse<byte[]>>> send(HttpRequest request, HostInfo host,
                                                                  String pathAndQuery) {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(Optional::of)
        .exceptionally(e -> {
          log.debug("Instance {} did not answer {}: {}", host, pathAndQuery, e.toString());
          return Optional.empty();
        });
  }

  /** Answers with what the owning instance answered, including which instance that was. */
  static void relay(HttpResponse<byte[]> response, Context ctx) {
    ctx.status(response.statusCode());
    response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
    response.headers().firstValue(SERVED_BY).ifPresent(value -> ctx.header(SERVED_BY, value));
    response.headers().firstValue(STANDBY_LAG).ifPresent(value -> ctx.header(STANDBY_LAG, value));
    ctx.result(response.body());
  }
}
