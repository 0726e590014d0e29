package io.ledgerstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JSON requests to the registry: one URL after another when a URL cannot be reached,
 * retries with backoff on transient failures, and registry error bodies turned into exceptions.
 */
final class RegistryTransport {

  private static final Logger log = LoggerFactory.getLogger(RegistryTransport.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT = "application/vnd.schemaregistry.v1+json,"
      + " application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

  private final List<RegistryEndpoint> endpoints;
  private final AtomicInteger current = new AtomicInteger();
  private final HttpClient http;
  private final Duration readTimeout;
  private final int maxRetries;
  private final long retryWaitMs;
  private final long retryMaxWaitMs;
  private final ObjectMapper json = new ObjectMapper();

  RegistryTransport(Map<String, ?> configs) {
    this.endpoints = RegistryEndpoint.fromConfigs(configs);
    this.readTimeout = Duration.ofMillis(SchemaRegistryConfig.integer(configs, SchemaRegistryConfig.READ_TIMEOUT_MS,
        SchemaRegistryConfig.DEFAULT_READ_TIMEOUT_MS));
    this.maxRetries = Math.max(0, SchemaRegistryConfig.integer(configs, SchemaRegistryConfig.MAX_RETRIES,
        SchemaRegistryConfig.DEFAULT_MAX_RETRIES));
    this.retryWaitMs = SchemaRegistryConfig.integer(configs, SchemaRegistryConfig.RETRIES_WAIT_MS,
        SchemaRegistryConfig.DEFAULT_RETRIES_WAIT_MS);
    this.retryMaxWaitMs = SchemaRegistryConfig.integer(configs, SchemaRegistryConfig.RETRIES_MAX_WAIT_MS,
        SchemaRegistryConfig.DEFAULT_RETRIES_MAX_WAIT_MS);
    int connectTimeoutMs = SchemaRegistryConfig.integer(configs, SchemaRegistryConfig.CONNECT_TIMEOUT_MS,
        SchemaRegistryConfig.DEFAULT_CONNECT_TIMEOUT_MS);
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(connectTimeoutMs))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** Sends one request with retries and failover; answers the parsed JSON of a 2xx response. */
  JsonNode call(String method, String path, JsonNode body) {
    for (int attempt = 0; ; attempt++) {
      try {
        return callOnce(method, path, body);
      } catch (RegistryUnavailableException e) {
        if (maxRetries == 0 || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        if (attempt >= maxRetries) {
          throw new RegistryUnavailableException(e.getMessage() + " (gave up after " + (attempt + 1)
              + " attempts)", e.httpStatus(), e.errorCode(), e);
        }
        long wait = backoff(attempt);
        log.debug("Schema registry call failed, retrying in {} ms: {}", wait, e.getMessage());
        sleep(wait, e);
      }
    }
  }

  /** One attempt: tries each URL in turn, starting with the last one that answered. */
  private JsonNode callOnce(String method, String path, JsonNode body) {
    int start = current.get();
    RegistryUnavailableException unreachable = null;
    for (int i = 0; i < endpoints.size(); i++) {
      int index = (start + i) % endpoints.size();
      RegistryEndpoint endpoint = endpoints.get(index);
      String where = method + " " + endpoint.baseUrl() + path;
      HttpResponse<byte[]> response;
      try {
        response = http.send(request(endpoint, method, path, body), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        unreachable = new RegistryUnavailableException(where + " failed: " + describe(e), e);
        moveOn(index);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException(where + " was interrupted", e);
      }
      try {
        return answer(where, response);
      } catch (RegistryUnavailableException e) {
        moveOn(index);
        throw e;
      }
    }
    throw unreachable;
  }

  private void moveOn(int failedIndex) {
    current.compareAndSet(failedIndex, (failedIndex + 1) % endpoints.size());
  }

  private HttpRequest request(RegistryEndpoint endpoint, String method, String path, JsonNode body) throws IOException {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
    HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve(path))
        .timeout(readTimeout)
        .header("Accept", ACCEPT)
        .method(method, publisher);
    if (body != null) {
      builder.header("Content-Type", CONTENT_TYPE);
    }
    endpoint.authorization().ifPresent(value -> builder.header("Authorization", value));
    return builder.build();
  }

  private JsonNode answer(String where, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (status >= 200 && status < 300) {
      if (text.isBlank()) {
        return NullNode.getInstance();
      }
      try {
        return json.readTree(text);
      } catch (IOException e) {
        throw new RegistryProtocolException(where + " answered " + status + " with a body that is not JSON: "
            + abbreviate(text), status, SchemaRegistryException.NONE, e);
      }
    }
    int errorCode = status;
    String message = abbreviate(text);
    try {
      JsonNode error = json.readTree(text);
      if (error != null && error.hasNonNull("error_code")) {
        errorCode = error.get("error_code").asInt(status);
        message = error.path("message").asText(message);
      }
    } catch (IOException e) {
      // not a registry error body (a proxy's HTML page, say): keep the raw text
    }
    String explanation = where + " -> HTTP " + status + ", error_code " + errorCode + ": " + message;
    if (status == 404 && errorCode == 404) {
      explanation += " (no registry error code: is the URL the registry's base path?)";
    } else if (status == 401 || status == 403) {
      explanation += " (check " + SchemaRegistryConfig.BASIC_AUTH_USER_INFO + " or "
          + SchemaRegistryConfig.BEARER_AUTH_TOKEN + ")";
    }
    throw SchemaRegistryException.fromResponse(status, errorCode, explanation);
  }

  private long backoff(int attempt) {
    long wait = Math.min(retryMaxWaitMs, retryWaitMs << Math.min(attempt, 20));
    // jitter spreads the retries of many clients hitting a recovering registry
    return wait <= 1 ? wait : wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
  }

  private static void sleep(long millis, RegistryUnavailableException failure) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }

  private String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + readTimeout.toMillis() + " ms (" + SchemaRegistryConfig.READ_TIMEOUT_MS + ")";
    }
    if (e instanceof ConnectException) {
      return "cannot connect (" + (e.getMessage() != null ? e.getMessage() : "connection refused") + ")";
    }
    String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !reason.contains(cause.getMessage())) {
      reason += ": " + cause.getMessage();
    }
    return reason;
  }

  private static String abbreviate(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }
}
