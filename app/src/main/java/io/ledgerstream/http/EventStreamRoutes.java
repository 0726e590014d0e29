package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.security.Principal;
import io.ledgerstream.streams.AggregateType;
import io.micrometer.core.instrument.Counter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /events/stream}: new events as Server-Sent Events, on any instance, each with an id to resume from. The
 * request's thread writes the stream while the subscription's own thread reads the event store; a token scoped to an
 * owner gets the events of what its owner owns only.
 */
final class EventStreamRoutes implements AutoCloseable {

  static final String CONTENT_TYPE = "text/event-stream";
  static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
  static final String LAST_EVENT_ID_QUERY = "lastEventId";
  private static final Duration WRITER_POLL = Duration.ofMillis(200);
  private static final Logger log = LoggerFactory.getLogger(EventStreamRoutes.class);

  private final Instance instance;
  private final Visibility visibility;
  private final SubscriptionSettings settings;
  private final List<String> types;
  private final StreamPosition.Layout layout;
  private final Semaphore slots;
  private final Set<EventSubscription> live = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
  private final Counter overflows;
  private volatile boolean closed;

  EventStreamRoutes(Instance instance, Visibility visibility, SubscriptionSettings settings, HttpMetrics metrics,
                    List<AggregateType<?, ?, ?>> types) {
    this.instance = instance;
    this.visibility = visibility;
    this.settings = settings;
    this.types = types.stream().map(AggregateType::name).toList();
    this.layout = StreamPosition.Layout.of(types);
    this.slots = new Semaphore(settings.maxSubscriptions());
    metrics.gauge("ledgerstream.event.subscriptions", "Clients subscribed to /events/stream", live::size);
    this.overflows = metrics.counter("ledgerstream.event.subscription.overflows",
        "Subscribers disconnected because they read slower than events came");
  }

  void stream(Context ctx) throws InterruptedException {
    EventFilter filter = EventFilter.of(ctx, types);
    StreamPosition resumeFrom = lastEventId(ctx);
    boolean fromBeginning = fromBeginning(ctx);
    EventLog events = eventLog();
    if (closed || !slots.tryAcquire()) {
      throw Problem.unavailable("this instance serves at most " + settings.maxSubscriptions()
          + " subscriptions at once; retry later or on another instance");
    }
    try {
      String client = client(ctx);
      if (perClient.merge(client, 1, Integer::sum) > settings.maxPerClient()) {
        release(client);
        throw Problem.tooManyRequests("one client may hold at most " + settings.maxPerClient()
            + " subscriptions at once on this instance; close one first");
      }
      try {
        EventSubscription subscription = EventSubscription.open(events, layout, filter,
            ScopedEvents.of(visibility, Principal.of(ctx)), resumeFrom, fromBeginning,
            settings.bufferEvents(), settings.bufferBytes(), overflows::increment);
        live.add(subscription);
        try {
          serve(ctx.res(), subscription);
        } finally {
          live.remove(subscription);
          subscription.close();
        }
      } finally {
        release(client);
      }
    } finally {
      slots.release();
    }
  }

  /** Who a subscription counts against: the token's subject, or the address of a client without one. */
  private static String client(Context ctx) {
    Principal principal = Principal.of(ctx);
    return principal.authenticated() ? "subject:" + principal.subject() : "address:" + ctx.ip();
  }

  private void release(String client) {
    perClient.computeIfPresent(client, (key, held) -> held <= 1 ? null : held - 1);
  }

  private void serve(HttpServletResponse response, EventSubscription subscription) throws InterruptedException {
    response.setStatus(200);
    response.setContentType(CONTENT_TYPE);
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    // nginx would otherwise hold events back in its buffer
    response.setHeader("X-Accel-Buffering", "no");
    String lastId = subscription.startId();
    try {
      OutputStream out = response.getOutputStream();
      // tells the client the subscription is in place: everything committed from now on will come
      comment(out, "subscribed at " + lastId);
      subscription.start();
      long lastWrite = System.nanoTime();
      while (!closed) {
        EventSubscription.Next next = subscription.next(WRITER_POLL);
        if (next instanceof EventSubscription.Delivery delivery) {
          event(out, delivery.id(), null, delivery.json());
          lastId = delivery.id();
          lastWrite = System.nanoTime();
        } else if (next == EventSubscription.End.OVERFLOW) {
          event(out, null, "overflow", Json.bytes(overflow(lastId)));
          return;
        } else if (next == EventSubscription.End.FAILED) {
          return;
        } else if (System.nanoTime() - lastWrite >= settings.heartbeat().toNanos()) {
          comment(out, "keep-alive");
          lastWrite = System.nanoTime();
        }
      }
    } catch (IOException e) {
      log.debug("Event stream client went away: {}", e.toString());
    }
  }

  private Map<String, Object> overflow(String lastId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("detail", "This client fell more than " + settings.bufferEvents() + " events or "
        + settings.bufferBytes() + " bytes behind and was "
        + "disconnected; reconnect with " + LAST_EVENT_ID_HEADER + ": " + lastId + " to resume where it stopped.");
    body.put(LAST_EVENT_ID_QUERY, lastId);
    return body;
  }

  private static void event(OutputStream out, String id, String name, byte[] data) throws IOException {
    StringBuilder head = new StringBuilder();
    if (id != null) {
      head.append("id: ").append(id).append('\n');
    }
    if (name != null) {
      head.append("event: ").append(name).append('\n');
    }
    head.append("data: ");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    // JSON escapes line breaks inside strings, so the event is always one data line
    out.write(data);
    out.write("\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void comment(OutputStream out, String text) throws IOException {
    out.write((": " + text + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The position to resume after: the header an EventSource sends on reconnect, else the query parameter. */
  private StreamPosition lastEventId(Context ctx) {
    String header = ctx.header(LAST_EVENT_ID_HEADER);
    String raw = header != null && !header.isBlank() ? header : ctx.queryParam(LAST_EVENT_ID_QUERY);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return StreamPosition.parse(raw.strip(), layout);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("Last-Event-ID must be the id of an event this stream sent: " + e.getMessage());
    }
  }

  private static boolean fromBeginning(Context ctx) {
    String from = ctx.queryParam("from");
    if (from == null || from.isBlank() || from.equals("end")) {
      return false;
    }
    if (from.equals("beginning")) {
      return true;
    }
    throw Problem.badRequest("query parameter 'from' must be beginning or end, got '" + from + "'");
  }

  private EventLog eventLog() {
    ApiBackend backend = instance.attachedOrNull();
    if (backend == null || backend.events() == null) {
      throw Problem.unavailable("the node is starting; retry shortly");
    }
    return backend.events();
  }

  /** Ends every stream (their clients may reconnect elsewhere) and waits briefly for them to close. */
  @Override
  public void close() {
    closed = true;
    long deadline = System.nanoTime() + EventSubscription.PATIENCE.toNanos();
    while (!live.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(WRITER_POLL.toMillis() / 4);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
