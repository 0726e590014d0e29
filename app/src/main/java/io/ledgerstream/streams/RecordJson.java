package io.ledgerstream.streams;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.ledgerstream.privacy.PersonalData;
import io.ledgerstream.privacy.PersonalData.Shown;
import io.ledgerstream.privacy.PersonalData.View;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;

/**
 * Turns Avro records into plain JSON-ready values: records become maps of field name to value, timestamps ISO-8601
 * strings, enums their names, and a record chosen from a union of several records gains a {@code type} member naming it.
 * Sealed personal data is shown as {@link PersonalData} says, followed by an {@value PersonalData#ERASED} member.
 */
public final class RecordJson {

  public static final String TYPE_MEMBER = "type";

  private RecordJson() {
  }

  /** The record as an ordered map of its fields, personal data still sealed. */
  public static Map<String, Object> toMap(IndexedRecord record) {
    return toMap(record, View.SEALED);
  }

  /** The record as an ordered map of its fields, personal data as {@code view} shows it. */
  public static Map<String, Object> toMap(IndexedRecord record, View view) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      if (PersonalData.isSealed(value)) {
        Shown shown = PersonalData.show(record, field, (IndexedRecord) value, view);
        map.put(field.name(), shown.value());
        if (shown.erased() != null) {
          map.put(PersonalData.ERASED, shown.erased());
        }
      } else {
        map.put(field.name(), value(value, field.schema(), view));
      }
    }
    return map;
  }

  /**
   * Writes the record exactly as Jackson writes {@link #toMap} of it, straight from the record: the query path's
   * writer, which makes no map per record.
   */
  public static void write(IndexedRecord record, JsonGenerator json, SerializerProvider provider) throws IOException {
    json.writeStartObject();
    writeFields(record, null, json, provider);
    json.writeEndObject();
  }

  /** The fields in order; with {@code tag}, the {@code type} member first (a field of that name takes its place). */
  private static void writeFields(IndexedRecord record, String tag, JsonGenerator json, SerializerProvider provider)
      throws IOException {
    Schema.Field typeField = tag == null ? null : record.getSchema().getField(TYPE_MEMBER);
    if (tag != null) {
      json.writeFieldName(TYPE_MEMBER);
      if (typeField == null) {
        json.writeString(tag);
      } else {
        writeValue(record.get(typeField.pos()), typeField.schema(), json, provider);
      }
    }
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      if (PersonalData.isSealed(value)) {
        Shown shown = PersonalData.show(record, field, (IndexedRecord) value, View.OPENED);
        json.writeFieldName(field.name());
        provider.defaultSerializeValue(shown.value(), json);
        if (shown.erased() != null) {
          json.writeBooleanField(PersonalData.ERASED, shown.erased());
        }
      } else if (field != typeField) {
        json.writeFieldName(field.name());
        writeValue(value, field.schema(), json, provider);
      }
    }
  }

  private static void writeValue(Object value, Schema schema, JsonGenerator json, SerializerProvider provider)
      throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof IndexedRecord record) {
      json.writeStartObject();
      writeFields(record, isUnionOfRecords(schema) ? record.getSchema().getName() : null, json, provider);
      json.writeEndObject();
    } else if (value instanceof Collection<?> items) {
      Schema itemSchema = elementSchema(schema, Schema.Type.ARRAY);
      json.writeStartArray();
      for (Object item : items) {
        writeValue(item, itemSchema == null ? null : itemSchema.getElementType(), json, provider);
      }
      json.writeEndArray();
    } else if (value instanceof Map<?, ?> entries) {
      Schema mapSchema = elementSchema(schema, Schema.Type.MAP);
      json.writeStartObject();
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        json.writeFieldName(entry.getKey().toString());
        writeValue(entry.getValue(), mapSchema == null ? null : mapSchema.getValueType(), json, provider);
      }
      json.writeEndObject();
    } else {
      Object plain = value(value, schema, View.OPENED);
      if (plain instanceof String text) {
        json.writeString(text);
      } else {
        provider.defaultSerializeValue(plain, json);
      }
    }
  }

  private static Object value(Object value, Schema schema, View view) {
    if (value == null) {
      return null;
    }
    if (value instanceof IndexedRecord record) {
      Map<String, Object> map = toMap(record, view);
      return isUnionOfRecords(schema) ? tagged(record, map) : map;
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof Enum<?> symbol) {
      return symbol.name();
    }
    if (value instanceof ByteBuffer bytes) {
      ByteBuffer copy = bytes.duplicate();
      byte[] raw = new byte[copy.remaining()];
      copy.get(raw);
      return Base64.getEncoder().encodeToString(raw);
    }
    if (value instanceof Collection<?> items) {
      Schema itemSchema = elementSchema(schema, Schema.Type.ARRAY);
      List<Object> list = new ArrayList<>(items.size());
      items.forEach(item -> list.add(value(item, itemSchema == null ? null : itemSchema.getElementType(), view)));
      return list;
    }
    if (value instanceof Map<?, ?> entries) {
      Schema mapSchema = elementSchema(schema, Schema.Type.MAP);
      Map<String, Object> map = new LinkedHashMap<>();
      entries.forEach((k, v) -> map.put(k.toString(), value(v, mapSchema == null ? null : mapSchema.getValueType(),
          view)));
      return map;
    }
    if (value instanceof GenericContainer || value instanceof CharSequence) {
      return value.toString();
    }
    return value;
  }

  private static Map<String, Object> tagged(IndexedRecord record, Map<String, Object> fields) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(TYPE_MEMBER, record.getSchema().getName());
    map.putAll(fields);
    return map;
  }

  private static boolean isUnionOfRecords(Schema schema) {
    return schema != null && schema.getType() == Schema.Type.UNION
        && schema.getTypes().stream().filter(branch -> branch.getType() == Schema.Type.RECORD).count() > 1;
  }

  /** The array or map schema itself, or its branch when the schema is a union. */
  private static Schema elementSchema(Schema schema, Schema.Type type) {
    if (schema == null) {
      return null;
    }
    if (schema.getType() == type) {
      return schema;
    }
    if (schema.getType() == Schema.Type.UNION) {
      return schema.getTypes().stream().filter(branch -> branch.getType() == type).findFirst().orElse(null);
    }
    return null;
  }
}
