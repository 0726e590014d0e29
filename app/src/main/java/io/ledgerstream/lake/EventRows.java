package io.ledgerstream.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.RecordJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns event records in the Confluent wire format into lake rows, reading each with the schema it was written with
 * (fetched from the registry by id), so events of types newer than this exporter still export. An event written in an
 * older version of its event type goes through its aggregate type's upcasters, so the lake holds the newest shape;
 * {@code eventVersion} records the version it was written in.
 */
final class EventRows {

  private static final int HEADER_SIZE = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryClient registry;
  private final GenericData model = new GenericData();
  private final Map<Integer, DatumReader<GenericRecord>> readers = new HashMap<>();
  private final Map<Integer, DatumReader<?>> upcastReaders = new HashMap<>();
  private final Map<String, AggregateType<?, ?, ?>> typesByTopic;

  /** Rows of the events on these aggregate types' event topics (topic name to type). */
  EventRows(SchemaRegistryClient registry, Map<String, AggregateType<?, ?, ?>> typesByTopic) {
    this.registry = registry;
    this.typesByTopic = Map.copyOf(typesByTopic);
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
  }

  /** The lake row of one event record. */
  GenericRecord row(ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value();
    if (value == null || value.length < HEADER_SIZE || value[0] != 0) {
      throw new LakeExportException(where(record) + " is not an event in the Confluent wire format");
    }
    int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
    try {
      GenericRecord event = reader(schemaId)
          .read(null, DecoderFactory.get().binaryDecoder(value, HEADER_SIZE, value.length - HEADER_SIZE, null));
      GenericRecord metadata = (GenericRecord) event.get("metadata");
      IndexedRecord payload = (IndexedRecord) event.get("payload");
      String written = payload.getSchema().getFullName();
      AggregateType<?, ?, ?> type = typesByTopic.get(record.topic());
      OptionalInt version = type == null ? OptionalInt.empty() : type.eventVersion(written);
      if (type != null && type.isOlderEventVersion(written)) {
        payload = newest(type, schemaId, value);
      }
      GenericRecord row = new GenericData.Record(LakeSchema.SCHEMA);
      row.put("eventId", text(metadata, "eventId"));
      row.put("eventType", payload.getSchema().getName());
      row.put("eventVersion", version.isPresent() ? version.getAsInt() : null);
      row.put("aggregateId", text(metadata, "aggregateId"));
      row.put("aggregateVersion", metadata.get("aggregateVersion"));
      row.put("occurredAt", ((Instant) metadata.get("occurredAt")).toEpochMilli());
      row.put("commandId", text(metadata, "commandId"));
      row.put("correlationId", text(metadata, "correlationId"));
      row.put("causationId", text(metadata, "causationId"));
      // events written before EventMetadata had issuedBy are read with their own schema, which lacks the field
      row.put("issuedBy", metadata.getSchema().getField("issuedBy") == null ? null : text(metadata, "issuedBy"));
      row.put("payloadJson", JSON.writeValueAsString(RecordJson.toMap(payload)));
      row.put("schemaId", schemaId);
      row.put("topic", record.topic());
      row.put("partition", record.partition());
      row.put("offset", record.offset());
      row.put("recordTimestamp", record.timestamp());
      return row;
    } catch (IOException | RuntimeException e) {
      throw new LakeExportException("Cannot export " + where(record) + " (writer schema id " + schemaId + "): " + e, e);
    }
  }

  /** The UTC date of the row's {@code occurredAt}: the event's own time, so a re-export files it identically. */
  static LocalDate date(GenericRecord row) {
    return LocalDate.ofInstant(Instant.ofEpochMilli((Long) row.get("occurredAt")), ZoneOffset.UTC);
  }

  /** The payload of an event written in an older version, read into the type's classes and upcast to the newest. */
  @SuppressWarnings("unchecked")
  private <AE extends SpecificRecord> SpecificRecord newest(AggregateType<?, AE, ?> type, int schemaId, byte[] value)
      throws IOException {
    DatumReader<AE> reader = (DatumReader<AE>) upcastReaders.computeIfAbsent(schemaId, id -> {
      Schema current = SpecificData.get().getSchema(type.eventRecord());
      return new SpecificDatumReader<AE>(registry.schemaById(id), current, SpecificData.getForClass(type.eventRecord()));
    });
    AE event = reader.read(null, DecoderFactory.get().binaryDecoder(value, HEADER_SIZE, value.length - HEADER_SIZE,
        null));
    return Envelope.payload(type.upcast(event));
  }

  private DatumReader<GenericRecord> reader(int schemaId) {
    return readers.computeIfAbsent(schemaId, id -> {
      org.apache.avro.Schema writer = registry.schemaById(id);
      return new GenericDatumReader<>(writer, writer, model);
    });
  }

  private static String text(GenericRecord record, String field) {
    Object value = record.get(field);
    return value == null ? null : value.toString();
  }

  private static String where(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
