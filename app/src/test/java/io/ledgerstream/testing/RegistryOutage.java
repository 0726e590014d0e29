package io.ledgerstream.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a schema registry that a test switches between passing connections on and the ways a
 * registry goes away: refusing connections, answering 503, or accepting and never answering. Every switch closes the
 * connections open at the time, so a client's kept-alive connection cannot slip past an outage.
 */
public final class RegistryOutage implements AutoCloseable {

  /** How the proxy treats a connection. */
  public enum Mode { PASS, REFUSE, UNAVAILABLE, SILENT }

  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "registry-outage");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicInteger turnedAway = new AtomicInteger();
  private volatile Mode mode = Mode.PASS;
  private ServerSocket server;

  private RegistryOutage(URI target) throws IOException {
    this.targetHost = target.getHost();
    this.targetPort = target.getPort();
    this.server = bind(0);
    this.port = server.getLocalPort();
    accept(server);
  }

  /** A proxy passing every connection on to the registry at {@code registryUrl} (http://host:port). */
  public static RegistryOutage inFrontOf(String registryUrl) {
    try {
      return new RegistryOutage(URI.create(registryUrl));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the registry proxy", e);
    }
  }

  /** The registry URL to give a client instead of the registry's own. */
  public String url() {
    return "http://localhost:" + port;
  }

  /** Switches how connections are treated from now on, closing every connection open now. */
  public synchronized void set(Mode next) {
    mode = next;
    connections.forEach(RegistryOutage::closeQuietly);
    connections.clear();
    try {
      if (next == Mode.REFUSE && server != null) {
        server.close();
        server = null;
      } else if (next != Mode.REFUSE && server == null) {
        server = bind(port);
        accept(server);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot switch the registry proxy to " + next, e);
    }
  }

  /** How many requests were answered 503 or left unanswered (refused connections never reach the proxy). */
  public int turnedAway() {
    return turnedAway.get();
  }

  @Override
  public synchronized void close() {
    closeQuietly(server);
    connections.forEach(RegistryOutage::closeQuietly);
    threads.shutdownNow();
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress("localhost", port));
    return socket;
  }

  private void accept(ServerSocket listening) {
    threads.execute(() -> {
      while (!listening.isClosed()) {
        try {
          Socket client = listening.accept();
          connections.add(client);
          Mode now = mode;
          threads.execute(() -> serve(client, now));
        } catch (IOException closed) {
          return;
        }
      }
    });
  }

  private void serve(Socket client, Mode now) {
    try {
      switch (now) {
        case PASS -> pass(client);
        case UNAVAILABLE -> {
          readRequest(client.getInputStream());
          turnedAway.incrementAndGet();
          byte[] body = "{\"error_code\":50301,\"message\":\"registry unavailable (test outage)\"}"
              .getBytes(StandardCharsets.UTF_8);
          OutputStream out = client.getOutputStream();
          out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\n"
              + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
          out.write(body);
          out.flush();
          closeQuietly(client);
        }
        case SILENT -> {
          readRequest(client.getInputStream());
          turnedAway.incrementAndGet();
          // holds the connection open until the next switch closes it
        }
        case REFUSE -> closeQuietly(client);
      }
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void pass(Socket client) throws IOException {
    Socket upstream = new Socket(targetHost, targetPort);
    connections.add(upstream);
    threads.execute(() -> pump(client, upstream));
    threads.execute(() -> pump(upstream, client));
  }

  private static void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // one side closed: close the other
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Reads one request's head and body, so the answer is not lost to a reset from unread bytes. */
  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new SocketException("closed before the request ended");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring("content-length:".length()).trim()));
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // closing is all that was wanted
    }
  }
}
