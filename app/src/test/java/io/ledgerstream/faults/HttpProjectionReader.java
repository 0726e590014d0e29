package io.ledgerstream.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reads the projections through one instance's HTTP API, which forwards each key to the instance that owns it. */
public final class HttpProjectionReader implements ProjectionReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final Duration timeout;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** @param timeout how long one view may take to catch up (and the HTTP API to answer) */
  public HttpProjectionReader(String baseUrl, Duration timeout) {
    this.baseUrl = baseUrl;
    this.timeout = timeout;
  }

  @Override
  public Reading account(String accountId, long minVersion) {
    // the API itself waits for minVersion, up to its own limit; retries cover a rebalance or a forward that failed
    return poll("/accounts/" + encode(accountId) + "?minVersion=" + minVersion + "&timeout=5000", minVersion);
  }

  @Override
  public Reading transfer(String transferId, long minVersion) {
    return poll("/transfers/" + encode(transferId), minVersion);
  }

  private Reading poll(String path, long minVersion) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Reading reading = get(path, minVersion);
      if (reading.problem() == null || System.nanoTime() > deadline) {
        return reading;
      }
      pause();
    }
  }

  private Reading get(String path, long minVersion) {
    try {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Reading.failed("GET " + path + ": " + response.statusCode() + " " + response.body());
      }
      JsonNode body = JSON.readTree(response.body());
      long version = body.path("version").asLong();
      return version >= minVersion ? Reading.of(body)
          : Reading.failed("GET " + path + ": at version " + version + ", not " + minVersion);
    } catch (IOException e) {
      return Reading.failed("GET " + path + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reading.failed("GET " + path + ": interrupted");
    }
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
