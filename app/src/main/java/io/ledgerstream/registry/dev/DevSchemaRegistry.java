package io.ledgerstream.registry.dev;

import io.javalin.Javalin;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development schema registry speaking the Confluent Schema Registry REST API (the subset this
 * project uses), Avro only, backed by a {@link DevSchemaStore}.
 */
public final class DevSchemaRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DevSchemaRegistry.class);

  private final Javalin server;
  private final DevSchemaStore store;

  private DevSchemaRegistry(Javalin server, DevSchemaStore store) {
    this.server = server;
    this.store = store;
  }

  /** Starts on all interfaces, as Confluent does, writable by anyone; port 0 picks a free port. */
  public static DevSchemaRegistry start(int port, DevSchemaStore store) {
    return start("0.0.0.0", port, store, DevRegistryGuard.OPEN);
  }

  /** Starts on {@code host}, writable by anyone; port 0 picks a free port. Closing also closes the store. */
  public static DevSchemaRegistry start(String host, int port, DevSchemaStore store) {
    return start(host, port, store, DevRegistryGuard.OPEN);
  }

  /**
   * Starts on {@code host}; port 0 picks a free port. Reads are open; writes pass {@code guard} first. Closing also
   * closes the store.
   */
  public static DevSchemaRegistry start(String host, int port, DevSchemaStore store, DevRegistryGuard guard) {
    try {
      DevRegistryRoutes routes = new DevRegistryRoutes(new DevSchemaCatalog(store), guard);
      Javalin server = Javalin.create(config -> {
        config.startup.showJavalinBanner = false;
        config.http.prefer405over404 = true;
        config.jetty.threadPool = new QueuedThreadPool(16, 2);
        routes.addTo(config.routes);
      });
      server.start(host, port);
      log.info("Development schema registry listening on port {}", server.port());
      return new DevSchemaRegistry(server, store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The base URL clients use, e.g. {@code http://localhost:8081}. */
  public String url() {
    return "http://localhost:" + port();
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
    store.close();
  }
}
