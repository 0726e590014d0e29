package io.ledgerstream.http;

import static io.ledgerstream.http.HttpClientSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the explorer is served: the shell for every page, its assets with their types, caching and safety headers. */
class ExplorerRoutesTest {

  private static final Path ASSETS = Path.of("src/main/resources/io/ledgerstream/ui/assets");
  private static final Pattern IMPORT = Pattern.compile("(?:from|import\\()\\s*'(\\.{1,2}/[^']+)'");

  private static HttpServer server;
  private static HttpClientSupport http;

  @BeforeAll
  static void start() {
    server = HttpServer.start(0, null);
    http = new HttpClientSupport("http://localhost:" + server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void answersEveryPageWithTheAppShellSoDeepLinksSurviveAReload() {
    for (String page : new String[] {"/ui", "/ui/", "/ui/accounts/A-1", "/ui/transfers/T-9", "/ui/correlations/x%20y",
        "/ui/live?aggregateId=A-1", "/ui/dlq", "/ui/projections", "/ui/no/such/page"}) {
      HttpResponse<String> response = http.get(page);
      assertThat(response.statusCode()).as(page).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).as(page).hasValueSatisfying(type ->
          assertThat(type).startsWith("text/html"));
      assertThat(response.body()).as(page).contains("<script type=\"module\" src=\"/ui/assets/app.js\">");
      assertThat(response.headers().firstValue("Content-Security-Policy")).as(page).hasValueSatisfying(policy ->
          assertThat(policy).contains("default-src 'self'").contains("frame-ancestors 'none'"));
    }
  }

  @Test
  void servesAssetsWithTheirContentTypes() {
    assertThat(type("/ui/assets/app.js")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(type("/ui/assets/pages/account.js")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(type("/ui/assets/app.css")).isEqualTo("text/css; charset=utf-8");
    assertThat(type("/ui/assets/favicon.svg")).isEqualTo("image/svg+xml");
    assertThat(http.get("/ui/assets/app.js").headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  @Test
  void letsBrowsersKeepAssetsAndRevalidateThemWithTheirETag() {
    HttpResponse<String> first = http.get("/ui/assets/app.css");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(first.headers().firstValue("Cache-Control")).contains("no-cache");

    HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/ui/assets/app.css"))
        .header("If-None-Match", etag).GET());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    HttpResponse<String> changed = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/ui/assets/app.css"))
        .header("If-None-Match", "\"something-else\"").GET());
    assertThat(changed.statusCode()).isEqualTo(200);
  }

  @Test
  void answersAMissingOrStrangeAssetWithA404Problem() {
    for (String path : new String[] {"/ui/assets/nope.js", "/ui/assets/app.JS", "/ui/assets/..%2Findex.html",
        "/ui/assets/pages/../app.js.map", "/ui/assets/"}) {
      HttpResponse<String> response = http.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type")).as(path).contains(Problem.CONTENT_TYPE);
      assertThat(json(response).path("type").asText()).as(path).endsWith("/not-found");
    }
  }

  @Test
  void servesEveryModuleTheAppImports() throws IOException {
    Deque<String> pending = new ArrayDeque<>(java.util.List.of("app.js"));
    Set<String> served = new HashSet<>();
    while (!pending.isEmpty()) {
      String asset = pending.pop();
      if (!served.add(asset)) {
        continue;
      }
      HttpResponse<String> response = http.get("/ui/assets/" + asset);
      assertThat(response.statusCode()).as(asset).isEqualTo(200);
      Matcher imports = IMPORT.matcher(response.body());
      while (imports.find()) {
        pending.push(URI.create("/" + asset).resolve(imports.group(1)).getPath().substring(1));
      }
    }
    try (Stream<Path> files = Files.walk(ASSETS)) {
      Set<String> scripts = new HashSet<>(files.filter(file -> file.toString().endsWith(".js"))
          .map(file -> ASSETS.relativize(file).toString().replace('\\', '/')).toList());
      assertThat(served).as("every script is reachable from app.js").containsAll(scripts);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static String type(String path) {
    HttpResponse<String> response = http.get(path);
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.headers().firstValue("Content-Type").orElseThrow();
  }
}
