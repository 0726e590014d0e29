package io.ledgerstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test client of {@code GET /events/stream}: reads Server-Sent Events line by line on a thread of its own, so tests
 * wait for frames with a timeout. Opening returns once the server says the subscription is in place.
 */
final class SseStream implements AutoCloseable {

  /** One dispatched event, or a comment line (then only {@code comment} is set). */
  record Frame(String id, String event, String data, String comment) {

    boolean isComment() {
      return comment != null;
    }

    JsonNode json() {
      try {
        return JSON.readTree(data);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + data, e);
      }
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Frame END = new Frame(null, null, null, null);
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(15);

  private final Stream<String> lines;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private volatile boolean ended;

  private SseStream(Stream<String> lines) {
    this.lines = lines;
    Thread reader = new Thread(this::read, "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Subscribes, retrying while the server answers 503, and waits for the server's "subscribed" comment. */
  static SseStream open(String baseUrl, String pathAndQuery, String lastEventId) {
    return open(baseUrl, pathAndQuery, lastEventId, null);
  }

  /** Subscribes like {@link #open(String, String, String)} with this bearer token (null: none). */
  static SseStream open(String baseUrl, String pathAndQuery, String lastEventId, String token) {
    long deadline = System.nanoTime() + OPEN_TIMEOUT.toNanos();
    while (true) {
      HttpResponse<Stream<String>> response = send(request(baseUrl, pathAndQuery, lastEventId, token),
          HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() == 200) {
        SseStream stream = new SseStream(response.body());
        Frame first = stream.nextFrame(OPEN_TIMEOUT);
        if (first == null || !first.isComment() || !first.comment().startsWith("subscribed at ")) {
          throw new AssertionError("expected the subscribed comment first, got " + first);
        }
        return stream;
      }
      String body = String.join("\n", response.body().toList());
      if (response.statusCode() != 503 || System.nanoTime() > deadline) {
        throw new AssertionError("subscribing answered " + response.statusCode() + ": " + body);
      }
      pause(200);
    }
  }

  static HttpRequest request(String baseUrl, String pathAndQuery, String lastEventId) {
    return request(baseUrl, pathAndQuery, lastEventId, null);
  }

  static HttpRequest request(String baseUrl, String pathAndQuery, String lastEventId, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return CLIENT.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next {@code count} events (comments skipped), failing if they do not all come within the timeout. */
  List<Frame> events(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Frame> events = new ArrayList<>();
    while (events.size() < count) {
      Frame frame = nextEvent(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (frame == null) {
        throw new AssertionError("got " + events.size() + " of " + count + " events: " + events);
      }
      events.add(frame);
    }
    return events;
  }

  /** The next event (comments skipped), or null if none comes within the timeout or the stream ended. */
  Frame nextEvent(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Frame frame = nextFrame(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (frame == null || !frame.isComment()) {
        return frame;
      }
    }
  }

  /** The next frame, comments included; null on timeout or at the end of the stream. */
  Frame nextFrame(Duration timeout) {
    try {
      Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == END) {
        frames.add(END);
        return null;
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  boolean ended() {
    return ended;
  }

  /** Parses lines into frames the way an EventSource does (one data line per event here). */
  private void read() {
    String id = null;
    String event = null;
    StringBuilder data = null;
    try {
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isEmpty()) {
          if (data != null) {
            frames.add(new Frame(id, event, data.toString(), null));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith(":")) {
          frames.add(new Frame(null, null, null, line.substring(1).strip()));
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
        }
      }
    } catch (RuntimeException e) {
      // the stream was closed under us
    } finally {
      ended = true;
      frames.add(END);
    }
  }

  /** Disconnects, as a client that goes away does. */
  @Override
  public void close() {
    lines.close();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
