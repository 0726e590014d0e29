package io.ledgerstream.http;

import io.javalin.http.HttpStatus;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** The OpenAPI 3.0 document of the HTTP API, built in code; the schemas of Avro-backed bodies come from the contract. */
final class OpenApi {

  private static final String JSON = "application/json";
  private static final String PROBLEM = Problem.CONTENT_TYPE;

  private OpenApi() {
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> document() {
    Map<String, Object> paths = new LinkedHashMap<>();
    paths.put("/accounts/{id}/commands", Map.of("post", command("account", "id")));
    paths.put("/transfers/{id}/commands", Map.of("post", command("transfer", "id")));
    paths.put("/commands/{commandId}", Map.of("get", op("The result of a command", List.of(
        path("commandId", "The command's id"),
        query("wait", "integer", "Wait up to this many ms (at most 30000) for the result"),
        allowStale(), timeout()),
        ok("CommandResult"), problems(400, 404, 503))));
    paths.put("/accounts/{id}", Map.of("get", op("An account's summary, now or as of an earlier point", List.of(
        path("id", "The account id"),
        query("minVersion", "integer", "Wait until the summary reached this version (read-your-writes); 504 after timeout"),
        query("asOfVersion", "integer", "The state right after this version, rebuilt from the events"),
        queryDateTime("asOf", "The state at this ISO-8601 instant, rebuilt from the events"),
        allowStale(), timeout()),
        ok("AccountState"), problems(400, 404, 503, 504))));
    paths.put("/accounts/{id}/events", Map.of("get", op("An account's events with metadata, oldest first", List.of(
        path("id", "The account id"),
        query("fromVersion", "integer", "First version to return (default 1)"),
        query("limit", "integer", "At most this many events, 1..1000 (default 100)"),
        allowStale(), timeout()),
        ok("EventPage"), problems(400, 404, 503))));
    paths.put("/owners/{owner}/accounts", Map.of("get", op("The accounts of one owner", List.of(
        path("owner", "The owner"), allowStale(), timeout()),
        ok("OwnerAccounts"), problems(400, 503))));
    paths.put("/transfers/{id}", Map.of("get", op("A transfer's status", List.of(
        path("id", "The transfer id"), allowStale(), timeout()),
        ok("TransferState"), problems(400, 404, 503))));
    paths.put("/stats", Map.of("get", op("Totals per currency over every instance", List.of(
        Map.of("name", "scope", "in", "query", "description", "all (default) or local: this instance's partitions only",
            "schema", Map.of("type", "string", "enum", List.of("all", "local"))),
        timeout()),
        ok("Stats"), problems(400, 503))));
    paths.put("/correlations/{id}", Map.of("get", op("Every command, event and result of one correlation, in causal order",
        List.of(path("id", "The correlation id"), allowStale(), timeout()),
        ok("Correlation"), problems(400, 404, 503))));
    paths.put("/events/stream", Map.of("get", eventStream()));
    paths.put("/health/live", Map.of("get", op("200 while the process runs", List.of(), ok("Health"), Map.of())));
    paths.put("/health/ready", Map.of("get", op("200 when the streams applications run and their stores answer",
        List.of(), ok("Health"), problems(503))));
    paths.put("/metrics", Map.of("get", op("Prometheus metrics", List.of(),
        Map.of("200", Map.of("description", "Prometheus text format",
            "content", Map.of("text/plain", Map.of("schema", Map.of("type", "string"))))), Map.of())));
    paths.put("/admin/projections", Map.of("get", op("Every projections generation, newest first, with its lag per "
        + "input partition and rate", List.of(), ok("Generations"), problems(503))));
    paths.put("/admin/projections/rebuild", Map.of("post", op("Build a new projections generation from the beginning "
        + "of the logs beside the serving one; queries switch to it once it caught up", List.of(),
        Map.of("202", Map.of("description", "Building; follow it at the Location",
            "headers", Map.of("Location", Map.of("schema", Map.of("type", "string"))),
            "content", Map.of(JSON, Map.of("schema", ref("Generation"))))),
        problems(409, 503))));
    paths.put("/admin/projections/rebuild/abandon", Map.of("post", op("Stop the building generation and remove its "
        + "state, group and internal topics; the serving one is untouched", List.of(),
        response200("The abandoned generation", "Generation"), problems(404, 503))));
    paths.put("/transfers/{id}/correlation", Map.of("get", op("The correlation id of a transfer's causal chain, once "
        + "the transfer worker started it", List.of(path("id", "The transfer id"), allowStale(), timeout()),
        ok("TransferCorrelation"), problems(400, 404, 503))));
    paths.putAll(deadLetterPaths());
    paths.put("/ui", Map.of("get", explorerPage()));
    paths.put("/ui/{path}", Map.of("get", explorerPage()));
    paths.put("/openapi.json", Map.of("get", op("This document", List.of(),
        Map.of("200", Map.of("description", "OpenAPI 3.0 document",
            "content", Map.of(JSON, Map.of("schema", Map.of("type", "object"))))), Map.of())));

    Map<String, Object> document = new LinkedHashMap<>();
    document.put("openapi", "3.0.3");
    document.put("info", Map.of("title", "Ledgerstream", "version", "0.1.0",
        "description", "An event-sourced bank ledger on Kafka Streams. Every response names the instance that served it "
            + "in " + Forwarder.SERVED_BY + "; errors are RFC 9457 problem details."));
    for (String probe : List.of("/health/live", "/health/ready")) {
      // probes need no token whatever the API's settings
      ((Map<String, Map<String, Object>>) paths.get(probe)).get("get").put("security", List.of());
    }
    document.put("paths", paths);
    document.put("security", List.of(Map.of("bearer", List.of())));
    document.put("components", Map.of("schemas", schemas(), "securitySchemes", Map.of("bearer", Map.of(
        "type", "http", "scheme", "bearer", "bearerFormat", "JWT",
        "description", "When the API requires tokens: a JWT whose roles claim holds ledger.read (queries, the event "
            + "stream, command results), ledger.write (commands, and their results) or ledger.admin (/admin). "
            + "Without one: 401; without the role: 403. /metrics and /openapi.json need ledger.read unless the API "
            + "binds a loopback address only."))));
    return document;
  }

  private static Map<String, Object> command(String aggregateType, String idName) {
    Map<String, Object> operation = op("Send a command to one " + aggregateType, List.of(
        path(idName, "The " + aggregateType + " id"),
        query("wait", "integer", "Wait up to this many ms (at most 30000) for the outcome")),
        Map.of(
            "200", response("Accepted (with wait)", "CommandResult"),
            "202", Map.of("description", "Sent; the result will be at the Location (or no result within wait)",
                "headers", Map.of("Location", Map.of("schema", Map.of("type", "string"))),
                "content", Map.of(JSON, Map.of("schema", ref("CommandPending"))))),
        problems(400, 401, 403, 409, 413, 415, 422, 503));
    operation.put("requestBody", Map.of("required", true,
        "content", Map.of(JSON, Map.of("schema", ref("CommandRequest")))));
    return operation;
  }

  private static Map<String, Object> eventStream() {
    return op("New events as Server-Sent Events, on any instance, resumable from their ids",
        List.of(
            Map.of("name", "aggregateType", "in", "query", "description", "Only events of this type (default both)",
                "schema", Map.of("type", "string", "enum", List.of("account", "transfer"))),
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

  private static Map<String, Object> deadLetterPaths() {
    Map<String, Object> paths = new LinkedHashMap<>();
    paths.put("/admin/dlq", Map.of("get", op("A page of dead letters, newest first", List.of(
        query("limit", "integer", "At most this many letters, 1..500 (default 50)"),
        query("before", "string", "The next of the previous page")),
        ok("DeadLetterPage"), problems(400, 503))));
    paths.put("/admin/dlq/{position}", Map.of("get", op("One dead letter with every header, its bytes and stack trace",
        List.of(path("position", "<partition>@<offset> in ledger.dlq")), ok("DeadLetter"), problems(400, 404, 503))));
    Map<String, Object> redrive = op("Re-produce letters to the topic they came from, with their original key, value "
        + "and headers and a ledger.redriven-from header; all of them or none, each at most once", List.of(),
        response200("The re-drives made", "Redrives"), problems(400, 404, 409, 415, 422, 503));
    redrive.put("requestBody", Map.of("required", true, "content", Map.of(JSON, Map.of("schema", object(Map.of(
        "letters", Map.of("type", "array", "items", Map.of("type", "string", "description", "<partition>@<offset>"))),
        List.of("letters"))))));
    paths.put("/admin/dlq/redrive", Map.of("post", redrive));
    return paths;
  }

  private static Map<String, Object> explorerPage() {
    return op("The explorer, a web UI over this API: its assets under /ui/assets/, the app for any other path",
        List.of(), Map.of("200", Map.of("description", "An HTML page or an asset",
            "content", Map.of("text/html", Map.of("schema", Map.of("type", "string"))))), problems(404));
  }

  private static Map<String, Object> op(String summary, List<Map<String, Object>> parameters,
                                        Map<String, Object> success, Map<String, Object> failures) {
    Map<String, Object> responses = new LinkedHashMap<>(success);
    responses.putAll(failures);
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("summary", summary);
    operation.put("parameters", parameters);
    operation.put("responses", responses);
    return operation;
  }

  private static Map<String, Object> ok(String schema) {
    return Map.of("200", response("OK", schema));
  }

  private static Map<String, Object> response200(String description, String schema) {
    return Map.of("200", response(description, schema));
  }

  private static Map<String, Object> response(String description, String schema) {
    return Map.of("description", description, "content", Map.of(JSON, Map.of("schema", ref(schema))));
  }

  private static Map<String, Object> problems(int... statuses) {
    Map<String, Object> responses = new LinkedHashMap<>();
    for (int status : statuses) {
      responses.put(Integer.toString(status), Map.of("description", HttpStatus.forStatus(status).getMessage(),
          "content", Map.of(PROBLEM, Map.of("schema", ref("Problem")))));
    }
    return responses;
  }

  private static Map<String, Object> path(String name, String description) {
    return Map.of("name", name, "in", "path", "required", true, "description", description,
        "schema", Map.of("type", "string"));
  }

  private static Map<String, Object> query(String name, String type, String description) {
    return Map.of("name", name, "in", "query", "description", description,
        "schema", type.equals("integer") ? Map.of("type", "integer", "format", "int64") : Map.of("type", type));
  }

  private static Map<String, Object> queryDateTime(String name, String description) {
    return Map.of("name", name, "in", "query", "description", description,
        "schema", Map.of("type", "string", "format", "date-time"));
  }

  private static Map<String, Object> allowStale() {
    return query("allowStale", "boolean", "May answer from a standby replica; the lag is in " + Forwarder.STANDBY_LAG);
  }

  private static Map<String, Object> timeout() {
    return query("timeout", "integer", "How long to wait (ms, default 5000, at most 30000) while data migrates "
        + "or for minVersion");
  }

  private static Map<String, Object> ref(String schema) {
    return Map.of("$ref", "#/components/schemas/" + schema);
  }

  private static Map<String, Object> schemas() {
    Map<String, Object> schemas = new LinkedHashMap<>();
    schemas.put("Problem", object(Map.of(
        "type", Map.of("type", "string", "format", "uri"),
        "title", Map.of("type", "string"),
        "status", Map.of("type", "integer"),
        "detail", Map.of("type", "string"),
        "instance", Map.of("type", "string"),
        "code", Map.of("type", "string", "description", "The rejection code, when a command was rejected")),
        List.of("type", "title", "status")));
    Map<String, Object> request = object(Map.of(
        "type", Map.of("type", "string", "description", "The command's record name, e.g. OpenAccount"),
        "commandId", Map.of("type", "string", "description", "Idempotency key; a fresh UUID when absent"),
        "correlationId", Map.of("type", "string", "description", "Defaults to the commandId"),
        "expectedVersion", Map.of("type", "integer", "format", "int64")), List.of("type"));
    request.put("additionalProperties", true);
    request.put("description", "The command's own fields sit beside these members, e.g. owner and currency");
    schemas.put("CommandRequest", request);
    schemas.put("CommandPending", object(Map.of(
        "commandId", Map.of("type", "string"), "correlationId", Map.of("type", "string"),
        "aggregateType", Map.of("type", "string"), "aggregateId", Map.of("type", "string"),
        "type", Map.of("type", "string"), "status", Map.of("type", "string", "enum", List.of("PENDING"))), List.of()));
    schemas.put("CommandResult", AvroSchemas.of(CommandResult.getClassSchema()));
    schemas.put("AccountState", AvroSchemas.of(AccountState.getClassSchema()));
    schemas.put("AccountEvent", AvroSchemas.of(AccountEvent.getClassSchema()));
    schemas.put("TransferState", AvroSchemas.of(TransferState.getClassSchema()));
    schemas.put("EventPage", object(Map.of(
        "accountId", Map.of("type", "string"),
        "events", Map.of("type", "array", "items", ref("AccountEvent")),
        "nextFromVersion", Map.of("type", "integer", "format", "int64")), List.of("events", "nextFromVersion")));
    schemas.put("OwnerAccounts", object(Map.of(
        "owner", Map.of("type", "string"),
        "accounts", Map.of("type", "array", "items", ref("AccountState"))), List.of("accounts")));
    Map<String, Object> totals = new LinkedHashMap<>(Map.of("currency", Map.of("type", "string")));
    totals.putAll(longs("accounts", "openAccounts", "closedAccounts", "balanceMinor", "depositedMinor",
        "withdrawnMinor", "debitedMinor", "creditedMinor", "refundedMinor", "events"));
    schemas.put("CurrencyTotals", object(totals, List.of()));
    schemas.put("Stats", object(Map.of(
        "totals", Map.of("type", "object", "description", "Per currency code, summed over every instance; money in "
            + "transit is debitedMinor - creditedMinor - refundedMinor", "additionalProperties", ref("CurrencyTotals")),
        "counts", Map.of("type", "object", "description", "Counters such as events.account.MoneyDeposited, "
            + "commands.ACCEPTED, rejections.INSUFFICIENT_FUNDS, transfers.COMPLETED, summed over every instance",
            "additionalProperties", Map.of("type", "integer", "format", "int64")),
        "instances", Map.of("type", "array", "items", Map.of("type", "string"))), List.of("totals", "counts")));
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
    schemas.put("CorrelationEntry", object(entry, List.of("kind", "id", "type")));
    schemas.put("Correlation", object(Map.of(
        "correlationId", Map.of("type", "string"),
        "entries", Map.of("type", "array", "items", ref("CorrelationEntry"))), List.of("entries")));
    schemas.putAll(generationSchemas());
    schemas.putAll(deadLetterSchemas());
    schemas.put("TransferCorrelation", object(Map.of("transferId", Map.of("type", "string"),
        "correlationId", Map.of("type", "string")), List.of("transferId", "correlationId")));
    schemas.put("StreamedEvent", object(Map.of(
        "aggregateType", Map.of("type", "string", "enum", List.of("account", "transfer")),
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

  private static Map<String, Object> longs(String... names) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (String name : names) {
      properties.put(name, Map.of("type", "integer", "format", "int64"));
    }
    return properties;
  }

  private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", new LinkedHashMap<>(properties));
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    return schema;
  }

  /** Avro schemas as OpenAPI 3.0 schemas, matching what {@link RecordJson} writes. */
  static final class AvroSchemas {

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
