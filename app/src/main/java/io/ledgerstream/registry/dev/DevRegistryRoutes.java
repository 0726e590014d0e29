package io.ledgerstream.registry.dev;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registry's HTTP routes: Confluent's paths, bodies, content type and error answers. */
final class DevRegistryRoutes {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Set<String> BODY_TYPES = Set.of(CONTENT_TYPE,
      "application/vnd.schemaregistry+json", "application/json", "application/octet-stream");
  private static final Logger log = LoggerFactory.getLogger(DevRegistryRoutes.class);

  private final ObjectMapper json = new ObjectMapper();
  private final DevSchemaCatalog catalog;
  private final DevRegistryGuard guard;

  DevRegistryRoutes(DevSchemaCatalog catalog, DevRegistryGuard guard) {
    this.catalog = catalog;
    this.guard = guard;
  }

  void addTo(RoutesConfig routes) {
    routes.before(this::checkWrite);
    routes.get("/", ctx -> respond(ctx, Map.of()));
    routes.get("/schemas/types", ctx -> respond(ctx, List.of("AVRO")));
    routes.get("/schemas/ids/{id}", ctx -> respond(ctx, Map.of("schema", catalog.schema(id(ctx)))));
    routes.get("/schemas/ids/{id}/versions", ctx -> respond(ctx, catalog.usagesOf(id(ctx))));
    routes.get("/schemas/ids/{id}/subjects", this::subjectsOfId);
    routes.get("/subjects", ctx -> respond(ctx, catalog.subjects()));
    routes.post("/subjects/{subject}", this::lookup);
    routes.get("/subjects/{subject}/versions", ctx -> respond(ctx, catalog.versions(subject(ctx))));
    routes.post("/subjects/{subject}/versions", this::register);
    routes.get("/subjects/{subject}/versions/{version}", this::version);
    routes.get("/subjects/{subject}/versions/{version}/schema", this::versionSchemaOnly);
    routes.post("/compatibility/subjects/{subject}/versions", this::compatibilityWithSubject);
    routes.post("/compatibility/subjects/{subject}/versions/{version}", this::compatibilityWithVersion);
    routes.get("/config", ctx -> respond(ctx, Map.of("compatibilityLevel", catalog.globalCompatibility())));
    routes.put("/config", ctx -> updateCompatibility(ctx, null));
    routes.get("/config/{subject}", this::subjectCompatibility);
    routes.put("/config/{subject}", ctx -> updateCompatibility(ctx, subject(ctx)));
    routes.exception(DevRegistryException.class, this::registryError);
    routes.exception(HttpResponseException.class, (e, ctx) -> httpError(ctx, e.getStatus()));
    routes.exception(Exception.class, (e, ctx) -> {
      log.error("Unexpected error serving {} {}", ctx.method(), ctx.path(), e);
      httpError(ctx, 500);
    });
  }

  /** Registering a schema and setting a level change the registry; lookups and compatibility checks only read. */
  private void checkWrite(Context ctx) {
    boolean register = ctx.method() == HandlerType.POST && ctx.path().matches("/subjects/[^/]+/versions/?");
    boolean configure = ctx.method() == HandlerType.PUT || ctx.method() == HandlerType.DELETE;
    if (register || configure) {
      guard.checkWrite(ctx.header("Authorization")).ifPresent(refusal -> {
        if (refusal.status() == 401) {
          ctx.header("WWW-Authenticate", "Bearer realm=\"ledgerstream-registry\"");
        }
        throw new DevRegistryException(refusal.status(), refusal.status(), refusal.message());
      });
    }
  }

  private void register(Context ctx) {
    JsonNode request = schemaRequest(ctx);
    respond(ctx, Map.of("id", catalog.register(subject(ctx), schemaText(request))));
  }

  private void lookup(Context ctx) {
    JsonNode request = schemaRequest(ctx);
    respond(ctx, catalog.lookup(subject(ctx), schemaText(request)));
  }

  private void version(Context ctx) {
    respond(ctx, catalog.version(subject(ctx), ctx.pathParam("version")));
  }

  private void versionSchemaOnly(Context ctx) {
    ctx.contentType(responseType(ctx)).result(catalog.version(subject(ctx), ctx.pathParam("version")).schema());
  }

  private void subjectsOfId(Context ctx) {
    List<String> subjects = catalog.usagesOf(id(ctx)).stream()
        .map(DevSchemaCatalog.SubjectVersion::subject).distinct().toList();
    respond(ctx, subjects);
  }

  private void compatibilityWithVersion(Context ctx) {
    JsonNode request = schemaRequest(ctx);
    String subject = subject(ctx);
    String version = ctx.pathParam("version");
    respondCompatibility(ctx, () -> catalog.compatibilityWithVersion(subject, version, schemaText(request)));
  }

  private void compatibilityWithSubject(Context ctx) {
    JsonNode request = schemaRequest(ctx);
    String subject = subject(ctx);
    respondCompatibility(ctx, () -> catalog.compatibilityWithSubject(subject, schemaText(request)));
  }

  /** Confluent answers an unparseable schema with 42201, or, when verbose, as an incompatibility. */
  private void respondCompatibility(Context ctx, Supplier<List<String>> check) {
    boolean verbose = "true".equalsIgnoreCase(ctx.queryParam("verbose"));
    List<String> problems;
    try {
      problems = check.get();
    } catch (DevRegistryException e) {
      if (!verbose || e.errorCode != 42201) {
        throw e;
      }
      problems = List.of(e.getMessage());
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("is_compatible", problems.isEmpty());
    if (verbose) {
      answer.put("messages", problems);
    }
    respond(ctx, answer);
  }

  private void subjectCompatibility(Context ctx) {
    boolean defaultToGlobal = "true".equalsIgnoreCase(ctx.queryParam("defaultToGlobal"));
    respond(ctx, Map.of("compatibilityLevel", catalog.subjectCompatibility(subject(ctx), defaultToGlobal)));
  }

  private void updateCompatibility(Context ctx, String subject) {
    String level = body(ctx).path("compatibility").asText(null);
    catalog.setCompatibility(subject, level);
    // Confluent echoes the request, so the level comes back as the client spelled it.
    respond(ctx, Map.of("compatibility", level));
  }

  private JsonNode schemaRequest(Context ctx) {
    JsonNode request = body(ctx);
    String type = request.path("schemaType").asText("AVRO");
    if (!type.equalsIgnoreCase("AVRO")) {
      throw DevRegistryException.invalidSchema("Invalid schema type " + type
          + ": this development registry supports AVRO only");
    }
    if (request.path("references").size() > 0) {
      throw DevRegistryException.invalidSchema(
          "Schema references are not supported by this development registry");
    }
    return request;
  }

  private static String schemaText(JsonNode request) {
    JsonNode schema = request.path("schema");
    if (schema.isContainerNode()) {
      throw DevRegistryException.badRequest("Cannot deserialize value of type `java.lang.String` from "
          + (schema.isArray() ? "Array" : "Object") + " value");
    }
    return schema.isValueNode() ? schema.asText() : null;
  }

  /** The JSON object in the body; Confluent answers 415, 400 and 422 for the ways that can fail. */
  private JsonNode body(Context ctx) {
    String contentType = ctx.contentType();
    if (contentType != null && !contentType.isBlank()
        && !BODY_TYPES.contains(contentType.split(";")[0].trim().toLowerCase(Locale.ROOT))) {
      throw new HttpResponseException(415);
    }
    JsonNode body;
    try {
      body = json.readTree(ctx.bodyAsBytes());
    } catch (JsonProcessingException e) {
      throw DevRegistryException.badRequest(e.getOriginalMessage());
    } catch (IOException e) {
      throw DevRegistryException.badRequest(e.getMessage());
    }
    if (body == null || body.isMissingNode() || body.isNull()) {
      throw new DevRegistryException(422, 422, "Request body must not be null");
    }
    if (!body.isObject()) {
      throw DevRegistryException.badRequest("Cannot deserialize request from " + body.getNodeType() + " value");
    }
    return body;
  }

  private static String subject(Context ctx) {
    return ctx.pathParam("subject");
  }

  /** Jersey answers a path id that is not an int with a plain 404. */
  private static int id(Context ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new HttpResponseException(404);
    }
  }

  private void respond(Context ctx, Object answer) {
    ctx.contentType(responseType(ctx)).result(toJson(answer));
  }

  /** Confluent prefers its v1 type and falls back to the generic ones a client asks for alone. */
  private static String responseType(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null || accept.contains(CONTENT_TYPE) || accept.contains("*/*")
        || accept.contains("application/*")) {
      return CONTENT_TYPE;
    }
    if (accept.contains("application/vnd.schemaregistry+json")) {
      return "application/vnd.schemaregistry+json";
    }
    return accept.contains("application/json") ? "application/json" : CONTENT_TYPE;
  }

  private void registryError(DevRegistryException e, Context ctx) {
    if (e.status >= 500) {
      log.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e.getCause());
    }
    error(ctx, e.status, e.errorCode, e.getMessage());
  }

  /** The body Jersey's default mappers give: the status as error_code and "HTTP 404 Not Found". */
  private void httpError(Context ctx, int status) {
    String reason = status == 500 ? "Internal Server Error" : HttpStatus.forStatus(status).getMessage();
    error(ctx, status, status, "HTTP " + status + " " + reason);
  }

  private void error(Context ctx, int status, int errorCode, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error_code", errorCode);
    body.put("message", message);
    ctx.status(status).contentType(responseType(ctx)).result(toJson(body));
  }

  private byte[] toJson(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
