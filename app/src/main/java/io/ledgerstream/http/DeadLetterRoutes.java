package io.ledgerstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.ledgerstream.dlq.DeadLetterException;
import io.ledgerstream.dlq.DeadLetterJson;
import io.ledgerstream.dlq.DeadLetters;
import io.ledgerstream.dlq.LetterPosition;
import io.ledgerstream.dlq.Redrive;
import io.ledgerstream.security.Principal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operators' routes for the dead letters, under {@code /admin} with the other operations: a page of letters, one
 * letter in full, and re-driving some, each at most once.
 */
final class DeadLetterRoutes {

  private final Instance instance;

  private DeadLetterRoutes(Instance instance) {
    this.instance = instance;
  }

  static void addTo(RoutesConfig routes, Instance instance) {
    DeadLetterRoutes dlq = new DeadLetterRoutes(instance);
    routes.get("/admin/dlq", dlq::list);
    routes.get("/admin/dlq/{position}", dlq::show);
    routes.post("/admin/dlq/redrive", dlq::redrive);
  }

  /** {@code GET /admin/dlq?limit=&before=}: newest first; {@code next} is the {@code before} of the following page. */
  void list(Context ctx) {
    int limit = (int) Params.longParam(ctx, "limit", DeadLetters.DEFAULT_PAGE, 1, DeadLetters.MAX_PAGE);
    DeadLetters.Page page = call(() -> deadLetters().list(ctx.queryParam("before"), limit));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("letters", page.letters().stream().map(DeadLetterJson::summary).toList());
    body.put("next", page.next());
    Json.ok(ctx, body);
  }

  /** {@code GET /admin/dlq/{partition@offset}}: one letter with every header, its bytes and its stack trace. */
  void show(Context ctx) {
    LetterPosition position = call(() -> LetterPosition.parse(ctx.pathParam("position")));
    Json.ok(ctx, DeadLetterJson.detail(call(() -> deadLetters().show(position))));
  }

  /** {@code POST /admin/dlq/redrive} with {@code {"letters": ["0@12", ...]}}: all of them, or none. */
  void redrive(Context ctx) {
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase().startsWith(Json.CONTENT_TYPE)) {
      throw Problem.ofStatus(415, "send the letters as application/json: {\"letters\": [\"<partition>@<offset>\"]}");
    }
    List<LetterPosition> letters = call(() -> letters(ctx.bodyAsBytes()));
    List<Redrive> made = call(() -> deadLetters().redrive(letters, Principal.of(ctx).actor("http:" + ctx.ip())));
    Json.ok(ctx, Map.of("redriven", made));
  }

  private static List<LetterPosition> letters(byte[] body) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw Problem.malformedJson("the body is not JSON");
    }
    JsonNode letters = json == null ? null : json.get("letters");
    if (letters == null || !letters.isArray()) {
      throw Problem.badRequest("the body names the letters as {\"letters\": [\"<partition>@<offset>\", ...]}");
    }
    List<LetterPosition> positions = new ArrayList<>();
    for (JsonNode letter : letters) {
      if (!letter.isTextual()) {
        throw Problem.badRequest("each letter is a string <partition>@<offset>, got " + letter);
      }
      positions.add(LetterPosition.parse(letter.asText()));
    }
    return positions;
  }

  private DeadLetters deadLetters() {
    ApiBackend backend = instance.attachedOrNull();
    if (backend == null || backend.deadLetters() == null) {
      throw Problem.unavailable("the node is starting; retry shortly");
    }
    return backend.deadLetters();
  }

  private static <T> T call(java.util.function.Supplier<T> operation) {
    try {
      return operation.get();
    } catch (DeadLetterException e) {
      throw problem(e);
    }
  }

  static Problem problem(DeadLetterException e) {
    return switch (e.reason()) {
      case MALFORMED -> Problem.badRequest(e.getMessage());
      case NOT_FOUND -> Problem.notFound(e.getMessage());
      case ALREADY_REDRIVEN -> new Problem(409, "already-redriven", "Already re-driven", e.getMessage(), null);
      case NOT_REDRIVABLE -> new Problem(422, "not-redrivable", "Cannot be re-driven", e.getMessage(), null);
      case CONFLICT -> new Problem(409, "redrive-conflict", "Re-drive conflict", e.getMessage(), null);
      case UNAVAILABLE -> Problem.unavailable(e.getMessage());
    };
  }
}
