package io.ledgerstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * A small HTTP server speaking the Confluent Schema Registry API over an in-memory store, with
 * knobs for the failures a client must survive: canned answers, a stall, required credentials.
 */
final class FakeConfluentRegistry implements AutoCloseable {

  record Request(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private record Canned(int status, String body) {
  }

  final InMemorySchemaRegistry store = new InMemorySchemaRegistry();
  private final ObjectMapper json = new ObjectMapper();
  private final String basePath;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final ConcurrentLinkedDeque<Canned> canned = new ConcurrentLinkedDeque<>();
  private volatile String requiredAuthorization;
  private volatile long stallMillis;

  FakeConfluentRegistry() throws IOException {
    this("");
  }

  FakeConfluentRegistry(String basePath) throws IOException {
    this.basePath = basePath;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + basePath;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The next request gets this answer instead of the real one. */
  void enqueue(int status, String body) {
    canned.add(new Canned(status, body));
  }

  void requireAuthorization(String headerValue) {
    requiredAuthorization = headerValue;
  }

  void stall(long millis) {
    stallMillis = millis;
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String rawPath = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    requests.add(new Request(exchange.getRequestMethod(), rawPath + (query == null ? "" : "?" + query),
        Map.copyOf(exchange.getRequestHeaders()), body));
    try {
      Canned answer = canned.poll();
      if (answer != null) {
        respond(exchange, answer.status(), answer.body());
        return;
      }
      if (stallMillis > 0) {
        Thread.sleep(stallMillis);
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
        respond(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
        return;
      }
      if (!rawPath.startsWith(basePath)) {
        respond(exchange, 404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
        return;
      }
      List<String> path = Arrays.stream(rawPath.substring(basePath.length()).split("/"))
          .filter(s -> !s.isEmpty()).map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
      respond(exchange, 200, json.writeValueAsString(route(exchange.getRequestMethod(), path, body)));
    } catch (SchemaRegistryException e) {
      respond(exchange, e.httpStatus(), json.writeValueAsString(
          json.createObjectNode().put("error_code", e.errorCode()).put("message", e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  private JsonNode route(String method, List<String> path, String body) throws IOException {
    String route = method + " " + path.stream().map(this::shape).collect(Collectors.joining("/"));
    return switch (route) {
      case "POST subjects/*/versions" -> object().put("id", store.register(path.get(1), schema(body)));
      case "POST subjects/*" -> lookup(path.get(1), schema(body));
      case "GET schemas/ids/*" -> object().put("schema", store.schemaById(Integer.parseInt(path.get(2))).toString());
      case "GET subjects/*/versions/*" -> describe(path.get(3).equals("latest")
          ? store.latestVersion(path.get(1)) : store.version(path.get(1), Integer.parseInt(path.get(3))));
      case "POST compatibility/subjects/*/versions/*" -> {
        store.latestVersion(path.get(2));
        yield object().put("is_compatible", store.isCompatible(path.get(2), schema(body)));
      }
      case "GET config" -> object().put("compatibilityLevel", store.globalCompatibility().name());
      case "GET config/*" -> object().put("compatibilityLevel", store.compatibility(path.get(1)).name());
      case "PUT config" -> {
        store.setGlobalCompatibility(CompatibilityLevel.parse(json.readTree(body).path("compatibility").asText()));
        yield object().put("compatibility", store.globalCompatibility().name());
      }
      case "PUT config/*" -> {
        store.setCompatibility(path.get(1), CompatibilityLevel.parse(json.readTree(body).path("compatibility").asText()));
        yield object().put("compatibility", store.compatibility(path.get(1)).name());
      }
      default -> throw new InvalidRequestException("HTTP 404 Not Found", 404, 404);
    };
  }

  /** Keeps the fixed words of a path and turns the parameters into '*'. */
  private String shape(String segment) {
    return List.of("subjects", "versions", "schemas", "ids", "compatibility", "config").contains(segment)
        ? segment : "*";
  }

  private Schema schema(String body) throws IOException {
    return AvroSchemas.parse(json.readTree(body).path("schema").asText(null), "the request");
  }

  private JsonNode lookup(String subject, Schema schema) {
    int id = store.lookupId(subject, schema);
    int latest = store.latestVersion(subject).version();
    for (int version = 1; version <= latest; version++) {
      if (store.version(subject, version).id() == id) {
        return describe(store.version(subject, version));
      }
    }
    throw new SchemaNotFoundException("Schema not found");
  }

  private ObjectNode describe(RegisteredSchema registered) {
    return object().put("subject", registered.subject()).put("id", registered.id())
        .put("version", registered.version()).put("schema", registered.schema().toString());
  }

  private ObjectNode object() {
    return json.createObjectNode();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }
}
