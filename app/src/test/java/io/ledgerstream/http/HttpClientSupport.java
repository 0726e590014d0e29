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
import java.util.concurrent.CompletableFuture;

/** Real HTTP calls against a running API, for tests. */
final class HttpClientSupport {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String token;

  HttpClientSupport(String baseUrl) {
    this(baseUrl, null);
  }

  /** A client whose get and post send this bearer token; null sends none. */
  HttpClientSupport(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  HttpResponse<String> get(String pathAndQuery) {
    return send(authorized(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET()));
  }

  HttpResponse<String> post(String pathAndQuery, String body) {
    return send(authorized(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))));
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  /** A GET that does not wait for its answer. */
  CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(60))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }
}
