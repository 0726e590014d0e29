package io.ledgerstream.ui;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the explorer, the web UI, from the classpath: its assets under {@code /ui/assets/}, and the app shell for
 * every other path under {@code /ui/}, so that a deep link such as {@code /ui/accounts/A-1} survives a reload. There
 * is no build step to fingerprint file names, so every file goes with a strong ETag and {@code no-cache}: a browser
 * keeps its copy and revalidates it with a 304, and never runs a stale module against an upgraded server.
 */
public final class ExplorerRoutes {

  public static final String BASE = "/ui";
  private static final String ASSETS = BASE + "/assets/";
  private static final String RESOURCES = "/io/ledgerstream/ui/";
  private static final Pattern ASSET_NAME = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*\\.(js|css|svg)");
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "html", "text/html; charset=utf-8");
  /** The app fetches only its own origin, runs only its own modules and styles, and is framed by no one. */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private final Map<String, Optional<Asset>> loaded = new ConcurrentHashMap<>();

  private ExplorerRoutes() {
  }

  /** One file of the explorer, read once. */
  private record Asset(byte[] bytes, String contentType, String etag) {
  }

  /** Adds {@code GET /ui} and {@code GET /ui/<path>}. */
  public static void addTo(RoutesConfig routes) {
    ExplorerRoutes explorer = new ExplorerRoutes();
    routes.get(BASE, explorer::serve);
    routes.get(BASE + "/<path>", explorer::serve);
  }

  private void serve(Context ctx) {
    String path = ctx.path();
    Asset asset = path.startsWith(ASSETS) ? asset(path.substring(ASSETS.length())) : shell();
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", asset.etag());
    if (asset.contentType().startsWith("text/html")) {
      ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }
    if (asset.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  private Asset shell() {
    return load("index.html").orElseThrow(() -> new IllegalStateException("the explorer's index.html is missing"));
  }

  private Asset asset(String name) {
    if (!ASSET_NAME.matcher(name).matches()) {
      throw new NotFoundResponse("no explorer asset " + ASSETS + name);
    }
    return load("assets/" + name).orElseThrow(() -> new NotFoundResponse("no explorer asset " + ASSETS + name));
  }

  private Optional<Asset> load(String resource) {
    return loaded.computeIfAbsent(resource, name -> {
      try (InputStream in = ExplorerRoutes.class.getResourceAsStream(RESOURCES + name)) {
        if (in == null) {
          return Optional.empty();
        }
        byte[] bytes = in.readAllBytes();
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return Optional.of(new Asset(bytes, CONTENT_TYPES.get(extension), etag(bytes)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the explorer's " + name, e);
      }
    });
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
