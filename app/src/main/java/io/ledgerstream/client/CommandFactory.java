package io.ledgerstream.client;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.privacy.PersonalData;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.Envelope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds command envelopes from loosely typed input (the CLI's {@code key=value} pairs, an HTTP JSON body) by
 * reading the aggregate type's own schemas, so a new aggregate type, command or field needs no code here.
 */
public final class CommandFactory {

  private CommandFactory() {
  }

  /**
   * A command envelope for one aggregate.
   *
   * @param type the payload record's name, e.g. "DepositMoney"
   * @param fields payload field values: strings (parsed by the field's type), numbers, booleans or null
   */
  public static SpecificRecord envelope(AggregateType<?, ?, ?> aggregateType, String type, Map<String, ?> fields,
                                        CommandMetadata metadata) {
    Schema envelope = envelopeSchema(aggregateType);
    Schema payloadSchema = payloadSchema(envelope, type);
    GenericRecord payload = new GenericData.Record(payloadSchema);
    Set<String> known = payloadSchema.getFields().stream().map(Schema.Field::name).collect(Collectors.toSet());
    for (String name : fields.keySet()) {
      if (!known.contains(name)) {
        throw new InvalidCommandException("unknown field '" + name + "' for " + type + "; its fields are "
            + fieldNames(payloadSchema));
      }
    }
    for (Schema.Field field : payloadSchema.getFields()) {
      Object raw = fields.get(field.name());
      if (raw == null && !fields.containsKey(field.name()) && field.hasDefaultValue()) {
        payload.put(field.pos(), GenericData.get().getDefaultValue(field));
      } else {
        payload.put(field.pos(), FieldValues.convert(type, field, raw));
      }
    }
    GenericRecord record = new GenericData.Record(envelope);
    record.put("metadata", metadata);
    record.put("payload", SpecificData.get().deepCopy(payloadSchema, payload));
    return (SpecificRecord) SpecificData.get().deepCopy(envelope, record);
  }

  /** Metadata for a new command; null ids mean "choose a fresh commandId" and "correlate by the commandId". */
  public static CommandMetadata metadata(String commandId, String correlationId, Long expectedVersion, String issuedBy) {
    return CommandMetadata.newBuilder()
        .setCommandId(commandId != null ? commandId : UUID.randomUUID().toString())
        .setCorrelationId(correlationId)
        .setCausationId(null)
        .setIssuedAt(Instant.now())
        .setIssuedBy(issuedBy)
        .setExpectedVersion(expectedVersion)
        .build();
  }

  /** Field names and types of one command, for help and error messages. */
  public static Map<String, String> fieldsOf(AggregateType<?, ?, ?> aggregateType, String type) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Schema.Field field : payloadSchema(envelopeSchema(aggregateType), type).getFields()) {
      fields.put(field.name(), FieldValues.describe(field.schema()) + (field.hasDefaultValue() ? " (optional)" : ""));
    }
    return fields;
  }

  /** The fields of one command that hold sealed personal data (see {@link PersonalData}). */
  public static List<String> sealedFields(AggregateType<?, ?, ?> aggregateType, String type) {
    return payloadSchema(envelopeSchema(aggregateType), type).getFields().stream()
        .filter(PersonalData::isSealed)
        .map(Schema.Field::name)
        .toList();
  }

  /** The registered type named {@code name}; an {@link InvalidCommandException} listing the types otherwise. */
  public static AggregateType<?, ?, ?> typeNamed(List<AggregateType<?, ?, ?>> types, String name) {
    return types.stream().filter(type -> type.name().equals(name)).findFirst()
        .orElseThrow(() -> new InvalidCommandException("unknown aggregate type '" + name + "'; expected one of "
            + types.stream().map(AggregateType::name).toList()));
  }

  private static Schema envelopeSchema(AggregateType<?, ?, ?> aggregateType) {
    return SpecificData.get().getSchema(aggregateType.commandRecord());
  }

  private static Schema payloadSchema(Schema envelope, String type) {
    return payloadBranches(envelope).stream()
        .filter(branch -> branch.getName().equals(type))
        .findFirst()
        .orElseThrow(() -> new InvalidCommandException("unknown command type '" + type + "'; expected one of "
            + payloadBranches(envelope).stream().map(Schema::getName).toList()));
  }

  private static List<Schema> payloadBranches(Schema envelope) {
    return Envelope.payloadSchemas(envelope);
  }

  private static String fieldNames(Schema schema) {
    return schema.getFields().stream().map(Schema.Field::name).toList().toString();
  }
}
