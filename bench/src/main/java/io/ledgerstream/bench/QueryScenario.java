package io.ledgerstream.bench;

import io.javalin.Javalin;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.http.ApiBackend;
import io.ledgerstream.http.HttpServer;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.projection.LocalProjections;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Scenario 4: {@code GET /accounts/{id}} on the real HTTP API over the real projections, against a static route
 * answering the same bytes from a bare Javalin server in the same process, under the same concurrent load.
 */
final class QueryScenario {

  static final String STATIC_PATH = "/bench/static";

  private QueryScenario() {
  }

  static void run(BenchCluster cluster, BenchSettings settings, Report report) {
    Duration warmUp = settings.queryDuration().dividedBy(5);
    report.section("Queries", String.format("GET /accounts/{id} over %,d accounts, %d concurrent clients "
            + "(java.net.http, HTTP/1.1, closed loop), %d s measured after %.1f s warm-up, clients in the same process",
        settings.mixAccounts(), settings.queryThreads(), settings.queryDuration().toSeconds(),
        warmUp.toMillis() / 1000.0));
    cluster.ensureMixAccounts(settings.mixAccounts());
    try (HttpServer api = HttpServer.start(0, null)) {
      KafkaStreams projections = Projections.create(cluster, StreamsSettings.PROJECTIONS_APPLICATION_ID,
          api.advertised());
      // made before the start, as the application makes it, so it learns each rebalance's routes
      LocalProjections local = new LocalProjections(projections);
      try (CommandSender sender = new CommandSender(cluster.clientProperties(), cluster.topics())) {
        projections.start();
        BenchCluster.awaitRunning(projections);
        Projections.awaitCaughtUp(cluster, StreamsSettings.PROJECTIONS_APPLICATION_ID, share -> { });
        api.attach(new ApiBackend(local, projections, cluster.commandSide(), sender,
            null));
        byte[] summary = get(URI.create(api.url() + "/accounts/" + CommandMix.accountId(0)));
        Javalin ceiling = staticServer(summary);
        try {
          String staticUrl = "http://127.0.0.1:" + ceiling.port() + STATIC_PATH;
          String accounts = api.url() + "/accounts/";
          HttpLoad.Result ledger = HttpLoad.run(
              random -> URI.create(accounts + CommandMix.accountId(random.nextInt(settings.mixAccounts()))),
              settings.queryThreads(), warmUp, settings.queryDuration());
          HttpLoad.Result bare = HttpLoad.run(random -> URI.create(staticUrl), settings.queryThreads(), warmUp,
              settings.queryDuration());
          print(report, "queries.account", "GET /accounts/{id}", ledger);
          print(report, "queries.static", "GET " + STATIC_PATH + " (bare Javalin, same bytes)", bare);
          report.ratio("queries.ratio", "ratio accounts / static (requests/s)", ledger.perSecond() / bare.perSecond());
        } finally {
          ceiling.stop();
        }
      } finally {
        BenchCluster.stop(projections);
      }
    }
  }

  private static void print(Report report, String name, String label, HttpLoad.Result result) {
    report.value(name + "_requests_per_s", label, result.perSecond(), "requests/s");
    report.value(name + "_p50_ms", "   p50", result.millisAt(50), "ms");
    report.value(name + "_p99_ms", "   p99", result.millisAt(99), "ms");
    if (result.errors() > 0) {
      report.note(String.format("%,d responses other than 200", result.errors()));
    }
  }

  private static Javalin staticServer(byte[] body) {
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.get(STATIC_PATH, ctx -> ctx.contentType("application/json").result(body));
    }).start("127.0.0.1", 0);
  }

  private static byte[] get(URI uri) {
    try {
      HttpResponse<byte[]> response = HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": "
            + new String(response.body()));
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("GET " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
