package io.ledgerstream.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.plugin.bundled.CorsPlugin;
import io.ledgerstream.Ledger;
import io.ledgerstream.client.InvalidCommandException;
import io.ledgerstream.security.AccessPolicy;
import io.ledgerstream.security.TokenVerifier;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.ui.ExplorerRoutes;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of one instance (Javalin): the routes of every registered aggregate type and what their
 * {@link RouteHook}s add, then the generic ones, behind one access guard. It starts before the streams applications, since they advertise its
 * address, and answers queries once {@link #attach} hands it the projections; until then they get 503.
 */
public final class HttpServer implements AutoCloseable {

  public static final String SERVED_BY_HEADER = Forwarder.SERVED_BY;
  public static final String STANDBY_LAG_HEADER = Forwarder.STANDBY_LAG;
  public static final String FORWARDED_BY_HEADER = Forwarder.FORWARDED_BY;
  public static final long MAX_REQUEST_BYTES = 64 * 1024;
  /** The buffer Javalin copies a response body through; larger bodies take several copies into Jetty's own buffer. */
  static final int RESPONSE_COPY_BYTES = 8 * 1024;
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private final Javalin server;
  private final Instance instance;
  private final HttpMetrics metrics;
  private final EventStreamRoutes events;
  private final Waits waits;
  private boolean closed;

  private HttpServer(Javalin server, Instance instance, HttpMetrics metrics, EventStreamRoutes events, Waits waits) {
    this.server = server;
    this.instance = instance;
    this.metrics = metrics;
    this.events = events;
    this.waits = waits;
  }

  /**
   * Starts the API on the loopback address without authentication (an embedding's default).
   *
   * @param port 0 picks a free port
   * @param advertised the {@code host:port} clients and other instances reach this one at; null means
   *     {@code localhost:<port>}
   */
  public static HttpServer start(int port, String advertised) {
    return start(port, advertised, SubscriptionSettings.DEFAULTS, ApiSecurity.unauthenticatedLoopback());
  }

  /** Starts the API for the ledger's aggregate types with these limits on the live event stream and protections. */
  public static HttpServer start(int port, String advertised, SubscriptionSettings subscriptions,
                                 ApiSecurity security) {
    return start(port, advertised, subscriptions, security, Ledger.AGGREGATE_TYPES);
  }

  /** Starts the API for these aggregate types with these limits on the live event stream and protections. */
  public static HttpServer start(int port, String advertised, SubscriptionSettings subscriptions,
                                 ApiSecurity security, List<AggregateType<?, ?, ?>> types) {
    TokenVerifier verifier = security.auth() == null ? null : TokenVerifier.create(security.auth());
    Instance instance = new Instance(security.scheme());
    HttpMetrics metrics = new HttpMetrics();
    Waits waits = new Waits();
    Forwarder forwarder = new Forwarder(instance);
    KeyQueries queries = new KeyQueries(instance, forwarder, waits);
    Visibility visibility = new Visibility(instance, queries, forwarder, types);
    EventStreamRoutes events = new EventStreamRoutes(instance, visibility, subscriptions, metrics, types);
    AccessGuard guard = new AccessGuard(AccessPolicy.LEDGER, verifier, security.operationsOpen(),
        security.corsOrigin(), types);
    Reads reads = new Reads(forwarder, queries, visibility);
    Javalin server = Javalin.create(config -> configure(config, instance, metrics, events, waits, reads, types,
        guard, security, port));
    try {
      server.start(security.host(), port);
    } catch (RuntimeException e) {
      metrics.close();
      waits.close();
      throw e;
    }
    instance.advertise(advertised != null ? HostInfo.buildFromEndpoint(advertised)
        : new HostInfo("localhost", server.port()));
    log.info("HTTP API listening on {}:{} ({}, {}), advertised as {}", security.host(), server.port(),
        security.scheme(), verifier == null ? "no authentication" : "bearer tokens required", instance.address());
    return new HttpServer(server, instance, metrics, events, waits);
  }

  private static void configure(JavalinConfig config, Instance instance, HttpMetrics metrics,
                                EventStreamRoutes events, Waits waits, Reads reads,
                                List<AggregateType<?, ?, ?>> types, AccessGuard guard, ApiSecurity security,
                                int port) {
    config.startup.showJavalinBanner = false;
    config.http.prefer405over404 = true;
    config.http.maxRequestSize = MAX_REQUEST_BYTES;
    // Javalin copies each response through a buffer this size, allocated per response (Jetty's 32 KiB output buffer
    // size by default): zeroing 32 KiB was a tenth of a key read's time for a body of a few hundred bytes
    config.http.responseBufferSize = RESPONSE_COPY_BYTES;
    config.requestLogger.http(metrics::record);
    if (security.corsOrigin() != null) {
      config.registerPlugin(new CorsPlugin(cors -> cors.addRule(rule -> {
        rule.allowHost(security.corsOrigin());
        List.of("Location", SERVED_BY_HEADER, STANDBY_LAG_HEADER).forEach(rule::exposeHeader);
      })));
    }
    if (security.tls() != null) {
      SslContextFactory.Server tls = security.tls().sslContextFactory();
      config.jetty.addConnector((jetty, http) -> httpsConnector(jetty, http, tls, security.host(), port));
    }
    config.routes.before(ctx -> ctx.header(SERVED_BY_HEADER, instance.address()));
    config.routes.before(guard);
    addRoutes(config.routes, instance, metrics, events, waits, reads, types);
  }

  /** What the routes read with, shared with the event stream. */
  private record Reads(Forwarder forwarder, KeyQueries queries, Visibility visibility) {
  }

  /** The only connector when TLS is on, so the port never answers plain HTTP. */
  private static ServerConnector httpsConnector(Server jetty, HttpConfiguration http, SslContextFactory.Server tls,
                                                String host, int port) {
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // clients reach instances by address as often as by name; the certificate is checked by them, not here
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"),
        new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  /** The route table: every route a method reference, every error a problem. */
  private static void addRoutes(RoutesConfig routes, Instance instance, HttpMetrics metrics,
                                EventStreamRoutes events, Waits waits, Reads shared,
                                List<AggregateType<?, ?, ?>> types) {
    Forwarder forwarder = shared.forwarder();
    KeyQueries queries = shared.queries();
    CommandRoutes commands = new CommandRoutes(instance, queries, forwarder, waits, shared.visibility());
    SpreadQueries spread = new SpreadQueries(instance, forwarder, waits);
    OwnerScope scope = new OwnerScope(instance, queries, forwarder);
    QueryRoutes reads = new QueryRoutes(queries, spread, shared.visibility());
    StatsRoutes stats = new StatsRoutes(instance, forwarder, waits);
    OpenApi openApi = new OpenApi(types);
    OpsRoutes ops = new OpsRoutes(instance, metrics, openApi);
    AdminRoutes admin = new AdminRoutes(instance);
    Routes hooks = new Routes(routes, openApi, queries, spread, stats, metrics, instance, shared.visibility());

    for (AggregateType<?, ?, ?> type : types) {
      routes.post("/" + type.plural() + "/{id}/commands", ctx -> scope.submit(ctx, type, () -> commands.submit(ctx, type)));
      openApi.commandRoute(type);
      routes.get("/" + type.plural() + "/{id}/events", ctx -> reads.events(ctx, type));
      openApi.eventsRoute(type);
      type.hooks(RouteHook.class).forEach(hook -> hook.addRoutes(hooks));
    }
    openApi.genericRoutes();
    routes.get("/commands/{commandId}", commands::getCommandResult);
    routes.get("/correlations/{id}", reads::correlation);
    routes.get("/stats", stats::stats);
    routes.get("/events/stream", events::stream);
    routes.get("/health/live", ops::live);
    routes.get("/health/ready", ops::ready);
    routes.get("/metrics", ops::metrics);
    routes.get("/openapi.json", ops::openApi);
    routes.get("/admin/projections", admin::projections);
    routes.post("/admin/projections/rebuild", admin::rebuild);
    routes.post("/admin/projections/rebuild/abandon", admin::abandon);
    DeadLetterRoutes.addTo(routes, instance);
    ExplorerRoutes.addTo(routes);

    routes.exception(Problem.class, (problem, ctx) -> problem.writeTo(ctx));
    routes.exception(InvalidCommandException.class, (e, ctx) -> Problem.invalidCommand(e.getMessage()).writeTo(ctx));
    routes.exception(HttpResponseException.class, (e, ctx) -> Problem.ofStatus(e.getStatus(), describe(e, ctx)).writeTo(ctx));
    routes.exception(Exception.class, (e, ctx) -> {
      log.error("Unexpected error serving {} {}", ctx.method(), ctx.path(), e);
      Problem.internal().writeTo(ctx);
    });
  }

  private static String describe(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 404 -> "no route " + ctx.method() + " " + ctx.path() + "; see /openapi.json";
      case 405 -> "route " + ctx.path() + " does not take " + ctx.method() + "; see /openapi.json";
      case 413 -> "the body is larger than " + MAX_REQUEST_BYTES + " bytes";
      default -> e.getMessage();
    };
  }

  /**
   * Starts answering queries from these projections and commands, and exports their streams' metrics: those of the
   * serving projections generation under {@code application="ledgerstream-projections"} whichever generation it is.
   */
  public void attach(ApiBackend backend) {
    metrics.bindProjections(backend.projectionsStreams());
    backend.generations().onSwitch(metrics::bindProjections);
    if (backend.commandSide() != null) {
      metrics.bind(backend.commandSide(), StreamsSettings.COMMAND_SIDE_APPLICATION_ID);
    }
    instance.attach(backend);
  }

  public int port() {
    return server.port();
  }

  /** The {@code host:port} this instance advertises: its streams' {@code application.server}, and the served-by header. */
  public String advertised() {
    return instance.address();
  }

  /** The base URL, e.g. {@code http://localhost:8080}, or {@code https://...} with TLS. */
  public String url() {
    return instance.scheme() + "://" + advertised();
  }

  /** Every registered route as {@code "METHOD /path"} in OpenAPI's spelling, e.g. {@code "GET /accounts/{id}"}. */
  public List<String> routes() {
    return server.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(endpoint -> endpoint.method.isHttpMethod())
        .map(endpoint -> endpoint.method.name() + " " + endpoint.path.replaceAll("<(\\w+)>", "{$1}"))
        .toList();
  }

  /** Stops the server; closing again does nothing. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      events.close();
      server.stop();
      waits.close();
      metrics.close();
    }
  }
}
