package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.privacy.PersonalData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * One command, event or result of a correlation, with the payload's fields as plain values.
 *
 * @param correlationId the correlation; a command that names none starts its own, named after its commandId
 * @param id the commandId of a command or result, the eventId of an event
 * @param type the payload's record name (DepositMoney, MoneyDeposited), or ACCEPTED/REJECTED for a result
 * @param causationId what caused it: a worker command's triggering event, an event's or a result's command
 * @param aggregateVersion the version an event wrote or a result reports; null for a command
 * @param timestamp when a command was issued, an event occurred or a result was processed
 * @param issuedBy who issued a command, or the command that produced an event (a token's subject, {@code http}, the
 *     worker), so the trail names who did what; null for a result, and for what was recorded before it was kept
 */
public record CorrelationEntry(String correlationId, Kind kind, String aggregateType, String aggregateId, String id,
                 String type, String commandId, String causationId, Long aggregateVersion,
                 Instant timestamp, Map<String, Object> fields, String issuedBy) {

  /** What the entry records; the names are stored (the correlations store and its topics): never rename one. */
  public enum Kind { COMMAND, EVENT, RESULT }

  /** This entry with its sealed personal data opened, or shown as erased, for a reader allowed to see it. */
  public CorrelationEntry opened() {
    if (fields.values().stream().noneMatch(PersonalData::isSealedText)) {
      return this;
    }
    Object owner = fields.get(PersonalData.OWNER_FIELD);
    Map<String, Object> shown = new LinkedHashMap<>();
    fields.forEach((name, value) -> {
      if (PersonalData.isSealedText(value)) {
        PersonalData.Shown opened = PersonalData.show(owner == null ? null : owner.toString(), name, (String) value);
        shown.put(name, opened.value());
        if (opened.erased() != null) {
          shown.put(PersonalData.ERASED, opened.erased());
        }
      } else {
        shown.put(name, value);
      }
    });
    return new CorrelationEntry(correlationId, kind, aggregateType, aggregateId, id, type, commandId, causationId,
        aggregateVersion, timestamp, Collections.unmodifiableMap(shown), issuedBy);
  }

  /** Unique within a correlation: a command and its result share an id, so the kind tells them apart. */
  public String entryId() {
    return kind + ":" + id;
  }

  static CorrelationEntry command(String aggregateType, String aggregateId, CommandMetadata metadata, Object payload) {
    String correlationId = metadata.getCorrelationId() != null ? metadata.getCorrelationId() : metadata.getCommandId();
    return new CorrelationEntry(correlationId, Kind.COMMAND, aggregateType, aggregateId, metadata.getCommandId(),
        typeOf(payload), metadata.getCommandId(), metadata.getCausationId(), null, metadata.getIssuedAt(),
        fields(payload), metadata.getIssuedBy());
  }

  static CorrelationEntry event(String aggregateType, EventMetadata metadata, Object payload) {
    return new CorrelationEntry(metadata.getCorrelationId(), Kind.EVENT, aggregateType, metadata.getAggregateId(),
        metadata.getEventId(), typeOf(payload), metadata.getCommandId(), metadata.getCausationId(),
        metadata.getAggregateVersion(), metadata.getOccurredAt(), fields(payload), metadata.getIssuedBy());
  }

  static CorrelationEntry result(CommandResult result) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("eventIds", List.copyOf(result.getEventIds()));
    if (result.getRejection() != null) {
      fields.put("rejectionCode", result.getRejection().getCode());
      fields.put("rejectionMessage", result.getRejection().getMessage());
    }
    String correlationId = result.getCorrelationId() != null ? result.getCorrelationId() : result.getCommandId();
    return new CorrelationEntry(correlationId, Kind.RESULT, result.getAggregateType(), result.getAggregateId(),
        result.getCommandId(), result.getStatus().name(), result.getCommandId(), result.getCommandId(),
        result.getVersion(), result.getProcessedAt(), Collections.unmodifiableMap(fields), null);
  }

  private static String typeOf(Object payload) {
    return payload instanceof SpecificRecord record ? record.getSchema().getName() : String.valueOf(payload);
  }

  private static Map<String, Object> fields(Object payload) {
    if (!(payload instanceof SpecificRecord record)) {
      return Map.of();
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      // kept sealed: the index and its changelog never hold personal data in the clear
      fields.put(field.name(), PersonalData.isSealed(value) ? PersonalData.sealedText((IndexedRecord) value)
          : plain(value));
    }
    return Collections.unmodifiableMap(fields);
  }

  /** Values as they read back from JSON: whole numbers as Long, lists as lists, anything else as text. */
  private static Object plain(Object value) {
    if (value == null || value instanceof Long || value instanceof Boolean || value instanceof String) {
      return value;
    }
    if (value instanceof Integer number) {
      return number.longValue();
    }
    if (value instanceof List<?> list) {
      List<Object> plain = new ArrayList<>(list.size());
      list.forEach(item -> plain.add(plain(item)));
      return plain;
    }
    return value.toString();
  }
}
