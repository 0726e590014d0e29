package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads and builds the contract's envelopes without knowing their aggregate: every command value is
 * {@code {metadata: CommandMetadata, payload: union{...}}} and every event value {@code {metadata: EventMetadata,
 * payload: union{...}}}.
 */
public final class Envelope {

  static final String METADATA = "metadata";
  static final String PAYLOAD = "payload";

  private Envelope() {
  }

  public static CommandMetadata commandMetadata(SpecificRecord command) {
    return (CommandMetadata) field(command, METADATA);
  }

  public static EventMetadata eventMetadata(SpecificRecord event) {
    return (EventMetadata) field(event, METADATA);
  }

  public static SpecificRecord payload(SpecificRecord envelope) {
    return (SpecificRecord) field(envelope, PAYLOAD);
  }

  /** A copy of the envelope with another payload and the same metadata. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> T withPayload(T envelope, SpecificRecord payload) {
    Schema schema = envelope.getSchema();
    T copy = (T) SpecificData.getForSchema(schema).newRecord(null, schema);
    for (Schema.Field field : schema.getFields()) {
      copy.put(field.pos(), field.name().equals(PAYLOAD) ? payload : envelope.get(field.pos()));
    }
    return copy;
  }

  /** The payload's record name, e.g. {@code DepositMoney}: the command or event type. */
  public static String payloadType(SpecificRecord envelope) {
    return payload(envelope).getSchema().getName();
  }

  /** The payload records an envelope schema allows, in the union's order. */
  public static List<Schema> payloadSchemas(Schema envelope) {
    Schema.Field payload = envelope.getField(PAYLOAD);
    if (envelope.getField(METADATA) == null || payload == null || payload.schema().getType() != Schema.Type.UNION) {
      throw new IllegalArgumentException(envelope.getFullName() + " is no envelope: it needs a 'metadata' field and a "
          + "'payload' union of records");
    }
    return payload.schema().getTypes();
  }

  private static Object field(SpecificRecord envelope, String name) {
    Schema.Field field = envelope.getSchema().getField(name);
    if (field == null) {
      throw new IllegalArgumentException(envelope.getSchema().getFullName() + " has no '" + name + "' field");
    }
    return envelope.get(field.pos());
  }
}
