package io.ledgerstream.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.ledgerstream.client.InvalidCommandException;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.ui.ExplorerRoutes;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of one instance (Javalin). It starts before the streams applications, since they advertise its
 * address, and answers queries once {@link #attach} hands it the projections; until then they get 503.
 */
public final class HttpServer implements AutoCloseable {

  public static final String SERVED_BY_HEADER = Forwarder.SERVED_BY;
  public static final String STANDBY_LAG_HEADER = Forwarder.STANDBY_LAG;
  public static final String FORWARDED_BY_HEADER = Forwarder.FORWARDED_BY;
  public static final long MAX_REQUEST_BYTES = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private final Javalin server;
  private final Instance instance;
  private final HttpMetrics metrics;
  private final EventStreamRoutes events;
  private boolean closed;

  private HttpServer(Javalin server, Instance instance, HttpMetrics metrics, EventStreamRoutes events) {
    this.server = server;
    this.instance = instance;
    this.metrics = metrics;
    this.events = events;
  }

  /**
   * Starts the API on all interfaces.
   *
   * @param port 0 picks a free port
   * @param advertised the {@code host:port} clients and other instances reach this one at; null means
   *     {@code localhost:<port>}
   */
  public static HttpServer start(int port, String advertised) {
    return start(port, advertised, SubscriptionSettings.DEFAULTS);
  }

  /** Starts the API on all interfaces, with these limits on the live event stream. */
  public static HttpServer start(int port, String advertised, SubscriptionSettings subscriptions) {
    Instance instance = new Instance();
    HttpMetrics metrics = new HttpMetrics();
    EventStreamRoutes events = new EventStreamRoutes(instance, subscriptions, metrics);
    Javalin server = Javalin.create(config -> configure(config, instance, metrics, events));
    try {
      server.start("0.0.0.0", port);
    } catch (RuntimeException e) {
      metrics.close();
      throw e;
    }
    instance.advertise(advertised != null ? HostInfo.buildFromEndpoint(advertised)
        : new HostInfo("localhost", server.port()));
    log.info("HTTP API listening on port {}, advertised as {}", server.port(), instance.address());
    return new HttpServer(server, instance, metrics, events);
  }

  private static void configure(JavalinConfig config, Instance instance, HttpMetrics metrics,
                                EventStreamRoutes events) {
    config.startup.showJavalinBanner = false;
    config.http.prefer405over404 = true;
    config.http.maxRequestSize = MAX_REQUEST_BYTES;
    config.requestLogger.http(metrics::record);
    addRoutes(config.routes, instance, metrics, events);
  }

  /** The route table: every route a method reference, every error a problem. */
  private static void addRoutes(RoutesConfig routes, Instance instance, HttpMetrics metrics,
                                EventStreamRoutes events) {
    Forwarder forwarder = new Forwarder(instance);
    KeyQueries queries = new KeyQueries(instance, forwarder);
    CommandRoutes commands = new CommandRoutes(instance, queries, forwarder);
    QueryRoutes reads = new QueryRoutes(queries);
    StatsRoutes stats = new StatsRoutes(instance, forwarder);
    OpsRoutes ops = new OpsRoutes(instance, metrics);
    AdminRoutes admin = new AdminRoutes(instance);

    routes.before(ctx -> ctx.header(SERVED_BY_HEADER, instance.address()));
    routes.post("/accounts/{id}/commands", commands::postAccountCommand);
    routes.post("/transfers/{id}/commands", commands::postTransferCommand);
    routes.get("/commands/{commandId}", commands::getCommandResult);
    routes.get("/accounts/{id}", reads::account);
    routes.get("/accounts/{id}/events", reads::accountEvents);
    routes.get("/owners/{owner}/accounts", reads::ownerAccounts);
    routes.get("/transfers/{id}", reads::transfer);
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
    routes.get("/transfers/{id}/correlation", new TransferCorrelationRoute(queries)::answer);
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

  /** The base URL, e.g. {@code http://localhost:8080}. */
  public String url() {
    return "http://" + advertised();
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
      metrics.close();
    }
  }
}
