package io.ledgerstream.http;

import io.javalin.http.HttpStatus;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.CommandInput;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.RecordJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * The OpenAPI 3.0 document of one server's HTTP API, built in code as its routes are added: the generic routes of
 * every registered aggregate type, and what the types' {@link RouteHook}s add. The schemas of Avro-backed bodies come
 * from the contract.
 */
public final class OpenApi {

  private static final String JSON = "application/json";
  private static final String PROBLEM = Problem.CONTENT_TYPE;

  private final List<AggregateType<?, ?, ?>> types;
  private final Map<String, Map<String, Object>> paths = new LinkedHashMap<>();
  private final Map<String, Object> schemas = new LinkedHashMap<>();
  private final Map<String, Object> statsMembers = new LinkedHashMap<>();

  OpenApi(List<AggregateType<?, ?, ?>> types) {
    this.types = List.copyOf(types);
    schemas.putAll(baseSchemas());
    for (AggregateType<?, ?, ?> type : types) {
      schemas.put(eventSchema(type), AvroSchemas.of(SpecificData.get().getSchema(type.eventRecord())));
      schemas.put(eventSchema(type) + "Page", object(Map.of(
          idMember(type), Map.of("type", "string"),
          "events", Map.of("type", "array", "items", ref(eventSchema(type))),
          "nextFromVersion", Map.of("type", "integer", "format", "int64")), List.of("events", "nextFromVersion")));
      schemas.put(requestSchema(type), commandRequest(type));
    }
  }

  /** Documents the generic command route of a type. */
  void commandRoute(AggregateType<?, ?, ?> type) {
    add("/" + type.plural() + "/{id}/commands", "post", command(type));
  }

  /** Documents the generic event history route of a type. */
  void eventsRoute(AggregateType<?, ?, ?> type) {
    add("/" + type.plural() + "/{id}/events", "get", op("A " + type.name() + "'s events with metadata, oldest first",
        List.of(
            path("id", "The " + type.name() + " id"),
            query("fromVersion", "integer", "First version to return (default 1)"),
            query("limit", "integer", "At most this many events, 1..1000 (default 100)"),
            allowStale(), timeout()),
        ok(eventSchema(type) + "Page"), problems(400, 404, 503)));
  }

  /** Documents the routes every server has whatever the types. */
  void genericRoutes() {
    add("/commands/{commandId}", "get", op("The result of the command that holds the id, or with source the result "
        + "of exactly the command written there", List.of(
        path("commandId", "The command's id"),
        query("source", "string", "<topic>/<partition>/<offset> of the command record, as a submission's Location "
            + "and PENDING body give it: its result, or its refusal when another command holds the id"),
        query("wait", "integer", "Wait up to this many ms (at most 30000) for the result"),
        allowStale(), timeout()),
        ok("CommandResult"), problems(400, 404, 503)));
    add("/stats", "get", op("Totals over every instance", List.of(scope(), timeout()),
        ok("Stats"), problems(400, 503)));
    add("/correlations/{id}", "get", op("One page of the commands, events and results of one correlation, in causal "
        + "order, gathered from every instance",
        List.of(path("id", "The correlation id"),
            query("limit", "integer", "The most entries in the page (1-" + QueryRoutes.MAX_CORRELATION_PAGE
                + ", default " + QueryRoutes.MAX_CORRELATION_PAGE + ")"),
            query("cursor", "string", "The nextCursor of the previous page; the page starts after that entry"),
            scope(), timeout()),
        ok("Correlation"), problems(400, 404, 503)));
    add("/events/stream", "get", eventStream());
    add("/health/live", "get", op("200 while the process runs", List.of(), ok("Health"), Map.of()));
    add("/health/ready", "get", op("200 when the streams applications run and their stores answer",
        List.of(), ok("Health"), problems(503)));
    add("/metrics", "get", op("Prometheus metrics", List.of(),
        Map.of("200", Map.of("description", "Prometheus text format",
            "content", Map.of("text/plain", Map.of("schema", Map.of("type", "string"))))), Map.of()));
    add("/admin/projections", "get", op("Every projections generation, newest first, with its lag per "
        + "input partition and rate", List.of(), ok("Generations"), problems(503)));
    add("/admin/projections/rebuild", "post", op("Build a new projections generation from the beginning "
        + "of the logs beside the serving one; queries switch to it once it caught up", List.of(),
        Map.of("202", Map.of("description", "Building; follow it at the Location",
            "headers", Map.of("Location", Map.of("schema", Map.of("type", "string"))),
            "content", Map.of(JSON, Map.of("schema", ref("Generation"))))),
        problems(409, 503)));
    add("/admin/projections/rebuild/abandon", "post", op("Stop the building generation and remove its "
        + "state, group and internal topics; the serving one is untouched", List.of(),
        response200("The abandoned generation", "Generation"), problems(404, 503)));
    deadLetterRoutes();
    add("/ui", "get", explorerPage());
    add("/ui/{path}", "get", explorerPage());
    add("/openapi.json", "get", op("This document", List.of(),
        Map.of("200", Map.of("description", "OpenAPI 3.0 document",
            "content", Map.of(JSON, Map.of("schema", Map.of("type", "object"))))), Map.of()));
  }

  void add(String path, String method, Map<String, Object> operation) {
    paths.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, operation);
  }

  void schema(String name, Map<String, Object> schema) {
    schemas.put(name, schema);
  }

  void statsMember(String name, Map<String, Object> schema) {
    statsMembers.put(name, schema);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> document() {
    Map<String, Object> stats = new LinkedHashMap<>(statsMembers);
    stats.put("counts", Map.of("type", "object", "description", "Counters such as events.<type>.<EventType>, "
        + "commands.ACCEPTED, rejections.<CODE>, summed over every instance",
        "additionalProperties", Map.of("type", "integer", "format", "int64")));
    stats.put("instances", Map.of("type", "array", "items", Map.of("type", "string")));
    Map<String, Object> components = new LinkedHashMap<>(schemas);
    components.put("Stats", object(stats, List.of("counts")));
    components.putAll(deadLetterSchemas());
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("openapi", "3.0.3");
    document.put("info", Map.of("title", "Ledgerstream", "version", "0.1.0",
        "description", "An event-sourced bank ledger on Kafka Streams. Every response names the instance that served it "
            + "in " + Forwarder.SERVED_BY + "; errors are RFC 9457 problem details."));
    for (String probe : List.of("/health/live", "/health/ready")) {
      // probes need no token whatever the API's settings
      ((Map<String, Object>) paths.get(probe).get("get")).put("security", List.of());
    }
    document.put("paths", paths);
    document.put("security", List.of(Map.of("bearer", List.of())));
    document.put("components", Map.of("schemas", components, "securitySchemes", Map.of("bearer", Map.of(
        "type", "http", "scheme", "bearer", "bearerFormat", "JWT",
        "description", "When the API requires tokens: a JWT whose roles claim holds ledger.read (queries, the event "
            + "stream, command results), ledger.write (commands, and their results) or ledger.admin (/admin). "
            + "Without one: 401; without the role: 403. /metrics and /openapi.json need ledger.read unless the API "
            + "binds a loopback address only."))));
    return document;
  }

  private static Map<String, Object> command(AggregateType<?, ?, ?> type) {
    Map<String, Object> operation = op("Send a command to one " + type.name(), List.of(
        path("id", "The " + type.name() + " id"),
        query("wait", "integer", "Wait up to this many ms (at most 30000) for the outcome"),
        Map.of("name", CommandRoutes.IDEMPOTENCY_KEY, "in", "header", "description", "The command id, so a retry with "
            + "the same key is answered with the original result; must equal the body's commandId if both are given",
            "schema", Map.of("type", "string", "maxLength", CommandInput.MAX_ID_LENGTH))),
        Map.of(
            "200", response("Accepted (with wait)", "CommandResult"),
            "202", Map.of("description", "Sent; the result will be at the Location (or no result within wait)",
                "headers", Map.of("Location", Map.of("schema", Map.of("type", "string"))),
                "content", Map.of(JSON, Map.of("schema", ref("CommandPending"))))),
        problems(400, 401, 403, 409, 413, 415, 422, 503));
    operation.put("requestBody", Map.of("required", true,
        "content", Map.of(JSON, Map.of("schema", ref(requestSchema(type))))));
    return operation;
  }

  /**
   * The body of a type's command route: one object per command type a client may send, its fields as the contract
   * has them (those with defaults optional) beside the metadata members.
   */
  private static Map<String, Object> commandRequest(AggregateType<?, ?, ?> type) {
    List<Map<String, Object>> variants = new ArrayList<>();
    for (Schema payload : Envelope.payloadSchemas(SpecificData.get().getSchema(type.commandRecord()))) {
      if (type.isWorkerOnly(payload.getName())) {
        continue;
      }
      Map<String, Object> properties = new LinkedHashMap<>();
      List<String> required = new ArrayList<>(List.of(RecordJson.TYPE_MEMBER));
      properties.put(RecordJson.TYPE_MEMBER, Map.of("type", "string", "enum", List.of(payload.getName())));
      for (Schema.Field field : payload.getFields()) {
        properties.put(field.name(), AvroSchemas.of(field.schema()));
        if (!field.hasDefaultValue()) {
          required.add(field.name());
        }
      }
      properties.put("commandId", Map.of("type", "string", "description", "Idempotency key; a fresh UUID when absent"));
      properties.put("correlationId", Map.of("type", "string", "description", "Defaults to the commandId"));
      properties.put("expectedVersion", Map.of("type", "integer", "format", "int64",
          "description", "Rejected with VERSION_CONFLICT unless the " + type.name() + " is at this version"));
      Map<String, Object> variant = object(properties, required);
      if (payload.getDoc() != null) {
        variant.put("description", payload.getDoc());
      }
      variants.add(variant);
    }
    return Map.of("oneOf", variants);
  }

  private static String eventSchema(AggregateType<?, ?, ?> type) {
    return type.eventRecord().getSimpleName();
  }

  private static String requestSchema(AggregateType<?, ?, ?> type) {
    return type.commandRecord().getSimpleName() + "Request";
  }

  /** The member naming the aggregate in its event page: the type's name in camel case, then {@code Id}. */
  static String idMember(AggregateType<?, ?, ?> type) {
    StringBuilder camel = new StringBuilder();
    for (String part : type.name().split("-")) {
      camel.append(camel.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return camel + "Id";
  }

  private Map<String, Object> eventStream() {
    return op("New events as Server-Sent Events, on any instance, resumable from their ids",
        List.of(
            Map.of("name", "aggregateType", "in", "query", "description", "Only events of this type (default all)",
                "schema", Map.of("type", "string", "enum", typeNames())),
            query("aggregateId", "string", "Only events of this aggregate"),
            query("correlationId", "string", "Only events of this correlation"),
            Map.of("name", "from", "in", "query", "description", "Where to start without a Last-Event-ID: end (default, "
                + "new events only) or beginning (replay the whole log)",
                "schema", Map.of("type", "string", "enum", List.of("end", "beginning"))),
            Map.of("name", EventStreamRoutes.LAST_EVENT_ID_HEADER, "in", "header", "description", "Resume right after "
                + "the event with this id: nothing missed, nothing repeated", "schema", Map.of("type", "string")),
            query(EventStreamRoutes.LAST_EVENT_ID_QUERY, "string", "The same as the Last-Event-ID header, which wins")),
        Map.of("200", Map.of("description", "An event stream: each event's data is a StreamedEvent in one line, its id "
            + "the position to resume after; an idle stream gets a comment line now and then. A client that reads too "
            + "slowly gets an event named overflow, whose data says which Last-Event-ID to reconnect with, and is "
            + "disconnected.",
            "content", Map.of(EventStreamRoutes.CONTENT_TYPE, Map.of("schema", ref("StreamedEvent"))))),
        problems(400, 503));
  }

  private void deadLetterRoutes() {
    add("/admin/dlq", "get", op("A page of dead letters, newest first", List.of(
        query("limit", "integer", "At most this many letters, 1..500 (default 50)"),
        query("before", "string", "The next of the previous page")),
        ok("DeadLetterPage"), problems(400, 503)));
    add("/admin/dlq/{position}", "get", op("One dead letter with every header, its bytes and stack trace",
        List.of(path("position", "<partition>@<offset> in ledger.dlq")), ok("DeadLetter"), problems(400, 404, 503)));
    Map<String, Object> redrive = op("Re-produce letters to the topic they came from, with their original key, value "
        + "and headers and a ledger.redriven-from header; all of them or none, each at most once", List.of(),
        response200("The re-drives made", "Redrives"), problems(400, 404, 409, 415, 422, 503));
    redrive.put("requestBody", Map.of("required", true, "content", Map.of(JSON, Map.of("schema", object(Map.of(
        "letters", Map.of("type", "array", "items", Map.of("type", "string", "description", "<partition>@<offset>"))),
        List.of("letters"))))));
    add("/admin/dlq/redrive", "post", redrive);
  }

  private static Map<String, Object> explorerPage() {
    return op("The explorer, a web UI over this API: its assets under /ui/assets/, the app for any other path",
        List.of(), Map.of("200", Map.of("description", "An HTML page or an asset",
            "content", Map.of("text/html", Map.of("schema", Map.of("type", "string"))))), problems(404));
  }

  private static Map<String, Object> deadLetterSchemas() {
    Map<String, Object> redrive = new LinkedHashMap<>(Map.of(
        "letter", Map.of("type", "string", "description", "<partition>@<offset> of the dead letter"),
        "redrivenAt", Map.of("type", "string", "format", "date-time"),
        "topic", Map.of("type", "string", "description", "Where the copy went, the topic the letter came from"),
        "partition", Map.of("type", "integer"),
        "offset", Map.of("type", "integer", "format", "int64"),
        "by", Map.of("type", "string", "description", "Who asked: cli:<user> or http:<address>")));
    Map<String, Object> bytes = object(Map.of("size", Map.of("type", "integer"),
        "text", Map.of("type", "string", "description", "The bytes as text, when they are printable UTF-8"),
        "hex", Map.of("type", "string"), "base64", Map.of("type", "string", "format", "byte")), List.of("size"));
    Map<String, Object> letter = new LinkedHashMap<>(Map.of(
        "position", Map.of("type", "string", "description", "<partition>@<offset> in ledger.dlq"),
        "timestamp", Map.of("type", "string", "format", "date-time"),
        "topic", Map.of("type", "string", "nullable", true, "description", "The topic the record failed on"),
        "exception", Map.of("type", "string", "nullable", true),
        "message", Map.of("type", "string", "nullable", true),
        "key", Map.of("type", "string", "nullable", true, "description", "The key, when it is printable UTF-8"),
        "valuePreview", Map.of("type", "string", "nullable", true),
        "redrivable", Map.of("type", "boolean", "description", "Whether its origin takes re-driven records"),
        "redrive", Map.of("nullable", true, "allOf", List.of(ref("Redrive")))));
    letter.putAll(Map.of(
        "redrivenFrom", Map.of("type", "string", "nullable", true,
            "description", "The letter this record was a re-driven copy of, when it failed again"),
        "stackTrace", Map.of("type", "string", "description", "Only when one letter is shown"),
        "value", bytes,
        "headers", Map.of("type", "array", "description", "Only when one letter is shown", "items", object(Map.of(
            "name", Map.of("type", "string"), "size", Map.of("type", "integer"), "text", Map.of("type", "string"),
            "base64", Map.of("type", "string")), List.of("name")))));
    return Map.of(
        "Redrive", object(redrive, List.of("letter", "redrivenAt", "topic", "partition", "offset")),
        "Redrives", object(Map.of("redriven", Map.of("type", "array", "items", ref("Redrive"))), List.of("redriven")),
        "DeadLetter", object(letter, List.of("position", "timestamp")),
        "DeadLetterPage", object(Map.of(
            "letters", Map.of("type", "array", "items", ref("DeadLetter")),
            "next", Map.of("type", "string", "nullable", true, "description", "before= for the next page; null on the last")),
            List.of("letters")));
  }

  public static Map<String, Object> op(String summary, List<Map<String, Object>> parameters,
                                        Map<String, Object> success, Map<String, Object> failures) {
    Map<String, Object> responses = new LinkedHashMap<>(success);
    responses.putAll(failures);
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("summary", summary);
    operation.put("parameters", parameters);
    operation.put("responses", responses);
    return operation;
  }

  public static Map<String, Object> ok(String schema) {
    return Map.of("200", response("OK", schema));
  }

  static Map<String, Object> response200(String description, String schema) {
    return Map.of("200", response(description, schema));
  }

  public static Map<String, Object> response(String description, String schema) {
    return Map.of("description", description, "content", Map.of(JSON, Map.of("schema", ref(schema))));
  }

  public static Map<String, Object> problems(int... statuses) {
    Map<String, Object> responses = new LinkedHashMap<>();
    for (int status : statuses) {
      responses.put(Integer.toString(status), Map.of("description", HttpStatus.forStatus(status).getMessage(),
          "content", Map.of(PROBLEM, Map.of("schema", ref("Problem")))));
    }
    return responses;
  }

  public static Map<String, Object> path(String name, String description) {
    return Map.of("name", name, "in", "path", "required", true, "description", description,
        "schema", Map.of("type", "string"));
  }

  public static Map<String, Object> query(String name, String type, String description) {
    return Map.of("name", name, "in", "query", "description", description,
        "schema", type.equals("integer") ? Map.of("type", "integer", "format", "int64") : Map.of("type", type));
  }

  public static Map<String, Object> queryDateTime(String name, String description) {
    return Map.of("name", name, "in", "query", "description", description,
        "schema", Map.of("type", "string", "format", "date-time"));
  }

  /** The {@code scope} of a query that every instance answers a part of. */
  public static Map<String, Object> scope() {
    return Map.of("name", "scope", "in", "query", "description",
        "all (default) or local: this instance's partitions only, as a JSON array of its entries",
        "schema", Map.of("type", "string", "enum", List.of("all", "local")));
  }

  public static Map<String, Object> allowStale() {
    return query("allowStale", "boolean", "May answer from a standby replica; the lag is in " + Forwarder.STANDBY_LAG);
  }

  public static Map<String, Object> timeout() {
    return query("timeout", "integer", "How long to wait (ms, default 5000, at most 30000) while data migrates "
        + "or for minVersion");
  }

  public static Map<String, Object> ref(String schema) {
    return Map.of("$ref", "#/components/schemas/" + schema);
  }

  private Map<String, Object> baseSchemas() {
    Map<String, Object> schemas = new LinkedHashMap<>();
    schemas.put("Problem", object(Map.of(
        "type", Map.of("type", "string", "format", "uri"),
        "title", Map.of("type", "string"),
        "status", Map.of("type", "integer"),
        "detail", Map.of("type", "string"),
        "instance", Map.of("type", "string"),
        "code", Map.of("type", "string", "description", "The rejection code, when a command was rejected")),
        List.of("type", "title", "status")));
    schemas.put("CommandPending", object(Map.of(
        "commandId", Map.of("type", "string"), "correlationId", Map.of("type", "string"),
        "aggregateType", Map.of("type", "string"), "aggregateId", Map.of("type", "string"),
        "type", Map.of("type", "string"), "status", Map.of("type", "string", "enum", List.of("PENDING"))), List.of()));
    schemas.put("CommandResult", AvroSchemas.of(CommandResult.getClassSchema()));
    Map<String, Object> entry = new LinkedHashMap<>(Map.of(
        "correlationId", Map.of("type", "string"),
        "kind", Map.of("type", "string", "enum", List.of("COMMAND", "EVENT", "RESULT")),
        "aggregateType", Map.of("type", "string"),
        "aggregateId", Map.of("type", "string"),
        "id", Map.of("type", "string", "description", "commandId of a command or result, eventId of an event"),
        "type", Map.of("type", "string", "description", "Payload record name, or ACCEPTED/REJECTED for a result"),
        "commandId", Map.of("type", "string"),
        "causationId", Map.of("type", "string", "nullable", true),
        "aggregateVersion", Map.of("type", "integer", "format", "int64", "nullable", true),
        "timestamp", Map.of("type", "string", "format", "date-time", "nullable", true)));
    entry.put("fields", Map.of("type", "object", "additionalProperties", true,
        "description", "The payload's fields, or a result's eventIds and rejection"));
    entry.put("issuedBy", Map.of("type", "string", "nullable", true,
        "description", "Who issued a command: the token's subject, http without authentication, or the worker"));
    schemas.put("CorrelationEntry", object(entry, List.of("kind", "id", "type")));
    schemas.put("Correlation", object(Map.of(
        "correlationId", Map.of("type", "string"),
        "entries", Map.of("type", "array", "items", ref("CorrelationEntry")),
        "nextCursor", Map.of("type", "string", "nullable", true,
            "description", "Where the next page starts (its cursor); null on the last page")), List.of("entries")));
    schemas.putAll(generationSchemas());
    schemas.put("StreamedEvent", object(Map.of(
        "aggregateType", Map.of("type", "string", "enum", typeNames()),
        "metadata", Map.of("type", "object", "additionalProperties", true,
            "description", "The event's metadata: eventId, commandId, correlationId, causationId, aggregateId, "
                + "aggregateVersion, occurredAt"),
        "payload", Map.of("type", "object", "additionalProperties", true,
            "description", "The event's fields, and its record name in type")),
        List.of("aggregateType", "metadata", "payload")));
    schemas.put("Health", Map.of("type", "object", "additionalProperties", true,
        "properties", Map.of("status", Map.of("type", "string"))));
    return schemas;
  }

  private List<String> typeNames() {
    return types.stream().map(AggregateType::name).toList();
  }

  private static Map<String, Object> generationSchemas() {
    Map<String, Object> generation = new LinkedHashMap<>(Map.of(
        "generation", Map.of("type", "integer"),
        "applicationId", Map.of("type", "string", "description", "ledgerstream-projections for generation 1, "
            + "ledgerstream-projections-g<N> after"),
        "state", Map.of("type", "string", "enum", List.of("BUILDING", "SERVING", "RETIRED", "ABANDONED")),
        "startedAt", Map.of("type", "string", "format", "date-time"),
        "servingSince", Map.of("type", "string", "format", "date-time", "nullable", true),
        "endedAt", Map.of("type", "string", "format", "date-time", "nullable", true),
        "cleanedUp", Map.of("type", "boolean", "description", "An ended generation's group and topics are gone"),
        "streams", Map.of("type", "string", "nullable", true,
            "description", "Its streams application's state in this instance; null when it does not run here"),
        "lag", Map.of("type", "integer", "format", "int64", "description", "Records still to process, all inputs"),
        "caughtUp", Map.of("type", "boolean")));
    generation.putAll(longs("processed", "total"));
    generation.put("eventsPerSecond", Map.of("type", "number",
        "description", "Input records (events, commands, results) processed per second over the last seconds"));
    Map<String, Object> partition = new LinkedHashMap<>(Map.of("topic", Map.of("type", "string"),
        "partition", Map.of("type", "integer")));
    partition.putAll(longs("committed", "end", "lag"));
    generation.put("partitions", Map.of("type", "array", "items", object(partition, List.of())));
    return Map.of(
        "Generation", object(generation, List.of("generation", "applicationId", "state")),
        "Generations", object(Map.of(
            "serving", Map.of("type", "integer"),
            "building", Map.of("type", "integer", "nullable", true),
            "generations", Map.of("type", "array", "items", ref("Generation"))), List.of("generations")));
  }

  public static Map<String, Object> longs(String... names) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (String name : names) {
      properties.put(name, Map.of("type", "integer", "format", "int64"));
    }
    return properties;
  }

  public static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", new LinkedHashMap<>(properties));
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    return schema;
  }

  /** An Avro schema as an OpenAPI 3.0 schema, matching what {@link RecordJson} writes. */
  public static Map<String, Object> schemaOf(Schema schema) {
    return AvroSchemas.of(schema);
  }

  /** Avro schemas as OpenAPI 3.0 schemas, matching what {@link RecordJson} writes. */
  private static final class AvroSchemas {

    private AvroSchemas() {
    }

    static Map<String, Object> of(Schema schema) {
      return switch (schema.getType()) {
        case RECORD -> record(schema, false);
        case ENUM -> Map.of("type", "string", "enum", schema.getEnumSymbols());
        case ARRAY -> Map.of("type", "array", "items", of(schema.getElementType()));
        case MAP -> Map.of("type", "object", "additionalProperties", of(schema.getValueType()));
        case UNION -> union(schema);
        case STRING -> Map.of("type", "string");
        case BOOLEAN -> Map.of("type", "boolean");
        case INT -> Map.of("type", "integer", "format", "int32");
        case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
            || schema.getLogicalType() instanceof LogicalTypes.TimestampMicros
            ? Map.of("type", "string", "format", "date-time") : Map.of("type", "integer", "format", "int64");
        case FLOAT, DOUBLE -> Map.of("type", "number");
        case BYTES, FIXED -> Map.of("type", "string", "format", "byte");
        case NULL -> Map.of("nullable", true);
      };
    }

    private static Map<String, Object> record(Schema schema, boolean tagged) {
      Map<String, Object> properties = new LinkedHashMap<>();
      List<String> required = new ArrayList<>();
      if (tagged) {
        properties.put(RecordJson.TYPE_MEMBER, Map.of("type", "string", "enum", List.of(schema.getName())));
        required.add(RecordJson.TYPE_MEMBER);
      }
      for (Schema.Field field : schema.getFields()) {
        properties.put(field.name(), of(field.schema()));
        required.add(field.name());
      }
      Map<String, Object> result = object(properties, required);
      if (schema.getDoc() != null) {
        result.put("description", schema.getDoc());
      }
      return result;
    }

    private static Map<String, Object> union(Schema schema) {
      List<Schema> branches = schema.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).toList();
      boolean nullable = branches.size() < schema.getTypes().size();
      Map<String, Object> result;
      if (branches.size() == 1) {
        result = new LinkedHashMap<>(of(branches.get(0)));
      } else if (branches.stream().allMatch(branch -> branch.getType() == Schema.Type.RECORD)) {
        result = new LinkedHashMap<>();
        result.put("oneOf", branches.stream().map(branch -> record(branch, true)).toList());
      } else {
        result = new LinkedHashMap<>(Map.of("oneOf", branches.stream().map(AvroSchemas::of).toList()));
      }
      if (nullable) {
        result.put("nullable", true);
      }
      return result;
    }
  }
}
