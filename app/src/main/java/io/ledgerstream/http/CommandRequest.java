package io.ledgerstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.SealedHolder;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.privacy.Holder;
import io.ledgerstream.privacy.PersonalData;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.CommandInput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * A command as posted over HTTP: {@code {type, ...fields, commandId?, correlationId?, expectedVersion?}}, checked and
 * turned into the Avro envelope that goes to the aggregate type's public command topic.
 */
record CommandRequest(String aggregateType, String type, CommandMetadata metadata, SpecificRecord envelope) {

  /** Who a command sent without authentication is recorded as issued by; also the channel it came through. */
  static final String ISSUED_BY = "http";
  /** A command with a field of this name that the body leaves out gets {@link #ISSUED_BY}: where it was made. */
  static final String CHANNEL = "channel";
  private static final Set<String> METADATA_MEMBERS = Set.of("type", "commandId", "correlationId", "expectedVersion");

  /**
   * Parses and checks a request body: 400 if it is not a JSON object, if an id or text breaks {@link CommandInput}'s
   * rules or if the {@code Idempotency-Key} header and the body's {@code commandId} differ; 403 for a worker-only
   * type; 422 for a type the aggregate does not take or fields it does not fit.
   *
   * @param idempotencyKey the request's {@code Idempotency-Key} header, the command id when given; may be null
   * @param issuedBy who sent it, as authenticated; never taken from the body
   */
  static CommandRequest parse(AggregateType<?, ?, ?> aggregateType, String aggregateId, byte[] body,
                              String idempotencyKey, String issuedBy) {
    JsonNode json = object(body);
    String type = text(json, "type");
    if (type == null) {
      throw Problem.invalidCommand("the body needs a string member 'type', one of " + publicTypes(aggregateType));
    }
    if (aggregateType.isWorkerOnly(type)) {
      throw Problem.forbidden(type + " cannot be sent to a " + aggregateType.name() + ": "
          + aggregateType.workerOnlyReason());
    }
    if (!aggregateType.commandTypes().contains(type)) {
      throw Problem.invalidCommand("unknown command type '" + type + "' for a " + aggregateType.name()
          + "; expected one of " + publicTypes(aggregateType));
    }
    List<String> personal = CommandFactory.sealedFields(aggregateType, type);
    Map<String, Object> fields = fields(json, personal);
    for (String field : personal) {
      JsonNode given = json.get(field);
      if (given != null && !given.isNull()) {
        fields.put(field, seal(json, field, given));
      }
    }
    if (CommandFactory.fieldsOf(aggregateType, type).containsKey(CHANNEL)) {
      fields.putIfAbsent(CHANNEL, ISSUED_BY);
    }
    CommandMetadata metadata = CommandFactory.metadata(commandId(json, idempotencyKey), text(json, "correlationId"),
        expectedVersion(json), issuedBy);
    SpecificRecord envelope = CommandFactory.envelope(aggregateType, type, fields, metadata);
    CommandInput.problem(aggregateType, aggregateId, envelope).ifPresent(problem -> {
      throw Problem.invalidInput(problem);
    });
    return new CommandRequest(aggregateType.name(), type, metadata, envelope);
  }

  /** Personal data is sealed here, before the command is written anywhere, under the key of the command's owner. */
  private static SealedHolder seal(JsonNode json, String field, JsonNode given) {
    Holder holder;
    try {
      holder = Holder.of(given);
    } catch (IllegalArgumentException e) {
      throw Problem.invalidInput(e.getMessage());
    }
    String owner = text(json, PersonalData.OWNER_FIELD);
    if (owner == null) {
      throw Problem.invalidCommand("'" + field + "' is sealed under its owner's key: the command needs '"
          + PersonalData.OWNER_FIELD + "'");
    }
    try {
      return PersonalData.seal(owner, field, holder);
    } catch (IllegalStateException e) {
      throw Problem.invalidCommand(e.getMessage());
    }
  }

  /** The command id: the {@code Idempotency-Key} header's, the body's, or none (a fresh one is chosen). */
  private static String commandId(JsonNode json, String idempotencyKey) {
    String inBody = text(json, "commandId");
    if (idempotencyKey == null) {
      return inBody;
    }
    CommandInput.idProblem("the Idempotency-Key header", idempotencyKey).ifPresent(problem -> {
      throw Problem.invalidInput(problem);
    });
    if (inBody != null && !inBody.equals(idempotencyKey)) {
      throw Problem.badRequest("the Idempotency-Key header '" + idempotencyKey + "' and the body's commandId '" + inBody
          + "' differ; give the command id once, or the same in both");
    }
    return idempotencyKey;
  }

  /** The command types a client may post. */
  static List<String> publicTypes(AggregateType<?, ?, ?> aggregateType) {
    return aggregateType.commandTypes().stream().filter(type -> !aggregateType.isWorkerOnly(type)).toList();
  }

  String commandId() {
    return metadata.getCommandId();
  }

  /** The correlation the command's events will carry: the given one, or the command's own id. */
  String correlationId() {
    return metadata.getCorrelationId() != null ? metadata.getCorrelationId() : metadata.getCommandId();
  }

  private static JsonNode object(byte[] body) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw Problem.malformedJson("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw Problem.malformedJson("the body could not be read: " + e.getMessage());
    }
    if (json == null || !json.isObject()) {
      throw Problem.malformedJson("the body must be a JSON object such as {\"type\":\"<command type>\", ...}");
    }
    return json;
  }

  private static Map<String, Object> fields(JsonNode json, List<String> personal) {
    Map<String, Object> fields = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      if (!METADATA_MEMBERS.contains(member.getKey()) && !personal.contains(member.getKey())) {
        fields.put(member.getKey(), scalar(member.getKey(), member.getValue()));
      }
    }
    return fields;
  }

  private static Object scalar(String name, JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isNumber()) {
      throw Problem.invalidCommand("field '" + name + "' must be a whole number that fits in 64 bits, got " + value);
    }
    throw Problem.invalidCommand("field '" + name + "' must be a string, number, boolean or null, got " + value);
  }

  private static String text(JsonNode json, String member) {
    JsonNode value = json.get(member);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.textValue().isBlank()) {
      throw Problem.invalidCommand("'" + member + "' must be a non-empty string");
    }
    CommandInput.idProblem("'" + member + "'", value.textValue()).ifPresent(problem -> {
      throw Problem.invalidInput(problem);
    });
    return value.textValue();
  }

  private static Long expectedVersion(JsonNode json) {
    JsonNode value = json.get("expectedVersion");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw Problem.invalidCommand("'expectedVersion' must be a whole number >= 0, got " + value);
    }
    return value.longValue();
  }
}
