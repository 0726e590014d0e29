package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static io.ledgerstream.http.HttpServerWithoutBackendTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.projection.LocalProjections;
import io.ledgerstream.streams.projection.ProjectionTopology;
import io.ledgerstream.testing.TargetDirs;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An API whose projections application is attached but not running answers 503 problems, never 500s. */
class HttpServerNotRunningTest {

  private static HttpServer server;
  private static KafkaStreams notStarted;
  private static HttpClientSupport http;

  @BeforeAll
  static void attachProjectionsThatAreNotRunning() {
    RegistryRecordSerdes serdes = new RegistryRecordSerdes(new InMemorySchemaRegistry(), true);
    notStarted = new KafkaStreams(ProjectionTopology.build(new Topics(serdes), serdes),
        StreamsSettings.projections(StreamsSettings.PROJECTIONS_APPLICATION_ID,
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:9"),
            TargetDirs.fresh("http-not-running")));
    server = HttpServer.start(0, null);
    server.attach(new ApiBackend(new LocalProjections(notStarted), notStarted, null, null, null));
    http = new HttpClientSupport(server.url());
  }

  @AfterAll
  static void stop() {
    server.close();
    notStarted.close(Duration.ofSeconds(5));
  }

  @Test
  void queriesAnswer503WhileTheProjectionsAreNotRunning() {
    assertProblem(http.get("/accounts/A-1?timeout=100"), 503, "unavailable");
    assertProblem(http.get("/commands/c-1"), 503, "unavailable");
    assertProblem(http.get("/stats"), 503, "unavailable");
  }

  @Test
  void readinessNamesTheStateOfEachApplication() {
    HttpResponse<String> ready = http.get("/health/ready");
    assertProblem(ready, 503, "unavailable");
    assertThat(json(ready).path("checks").path("projections").asText()).isEqualTo("CREATED");
    assertThat(json(ready).path("checks").path("commandSide").asText()).isEqualTo("DISABLED");
    assertThat(json(ready).path("detail").asText()).contains("CREATED");
  }

  @Test
  void isStillLive() {
    assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
  }
}
