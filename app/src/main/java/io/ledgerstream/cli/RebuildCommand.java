package io.ledgerstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Asks a running instance to rebuild its projections blue/green and follows the rebuild until it serves. */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
    description = "Rebuild the projections of a running instance: a new generation reads the logs from the beginning "
        + "beside the serving one and takes over queries once it caught up. Progress goes to stderr.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the new generation serves (with --abandon: the building one was abandoned)",
        "1:the rebuild was abandoned (with --abandon: none was building)", "2:usage, or the instance did not answer",
        "3:not done within --timeout"})
final class RebuildCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration POLL = Duration.ofMillis(500);

  @Option(names = "--url", defaultValue = "http://localhost:8080",
      description = "The instance's HTTP API (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A bearer token with the role ledger.admin, for an instance that requires tokens; "
          + "default: the LEDGERSTREAM_TOKEN environment variable, if set.")
  Path tokenFile;

  @Option(names = "--abandon", description = "Abandon the rebuild in progress instead: stop it and remove its state.")
  boolean abandon;

  @Option(names = "--timeout", defaultValue = "PT24H",
      description = "Stop following after this long, ISO-8601; the rebuild goes on (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    PrintStream err = System.err;
    try {
      return abandon ? abandon(err) : rebuild(err);
    } catch (IOException e) {
      err.println("cannot reach " + url + ": " + e.getMessage());
      return 2;
    }
  }

  private int abandon(PrintStream err) throws IOException, InterruptedException {
    HttpResponse<String> response = post("/admin/projections/rebuild/abandon");
    if (response.statusCode() == 404) {
      err.println("no rebuild is in progress");
      return 1;
    }
    JsonNode body = expect(response, 200);
    System.out.printf("abandoned generation %d (%s)%n", body.path("generation").asInt(),
        body.path("applicationId").asText());
    return 0;
  }

  private int rebuild(PrintStream err) throws IOException, InterruptedException {
    HttpResponse<String> response = post("/admin/projections/rebuild");
    int generation;
    if (response.statusCode() == 409) {
      generation = JSON.readTree(response.body()).path("generation").asInt();
      err.printf("generation %d is already building; following it%n", generation);
    } else {
      JsonNode started = expect(response, 202);
      generation = started.path("generation").asInt();
      err.printf("rebuilding the projections as generation %d (%s) from the beginning of the logs%n", generation,
          started.path("applicationId").asText());
    }
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      JsonNode overview = expect(get("/admin/projections"), 200);
      JsonNode status = find(overview, generation);
      switch (status.path("state").asText()) {
        case "SERVING", "RETIRED" -> {
          long total = status.path("total").asLong();
          err.println(RebuildProgress.line(generation, total, total, 0, 0));
          System.out.printf("generation %d (%s) serves; generation %s retired%n", generation,
              status.path("applicationId").asText(), previous(overview, generation));
          return 0;
        }
        case "ABANDONED" -> {
          err.printf("%ngeneration %d was abandoned%n", generation);
          return 1;
        }
        default -> err.print(RebuildProgress.line(generation, status.path("processed").asLong(),
            status.path("total").asLong(), status.path("eventsPerSecond").asDouble(), status.path("lag").asLong()));
      }
      Thread.sleep(POLL.toMillis());
    }
    err.printf("%nstill building after %s; follow it with GET %s/admin/projections%n", timeout, url);
    return 3;
  }

  private static JsonNode find(JsonNode overview, int generation) {
    for (JsonNode status : overview.path("generations")) {
      if (status.path("generation").asInt() == generation) {
        return status;
      }
    }
    throw new IllegalStateException("the instance does not list generation " + generation);
  }

  private static String previous(JsonNode overview, int generation) {
    for (JsonNode status : overview.path("generations")) {
      if (status.path("generation").asInt() < generation && status.path("state").asText().equals("RETIRED")) {
        return status.path("generation").asText();
      }
    }
    return "-";
  }

  private JsonNode expect(HttpResponse<String> response, int status) throws IOException {
    if (response.statusCode() != status) {
      throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return HTTP.send(authorized(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(120))
        .POST(HttpRequest.BodyPublishers.noBody())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(authorized(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30)).GET())
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) throws IOException {
    String token = tokenFile != null ? Files.readString(tokenFile).strip() : System.getenv("LEDGERSTREAM_TOKEN");
    return token == null || token.isBlank() ? request : request.header("Authorization", "Bearer " + token.strip());
  }
}
