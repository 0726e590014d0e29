package io.ledgerstream.streams.projection;

import io.ledgerstream.streams.projection.CorrelationEntry.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form of {@link CorrelationEntry} for the correlations store and its changelog, written once per
 * command, event and result of a rebuild (JSON cost a fifth of the rebuild's thread). Stored: the layout is pinned by
 * a golden test; change it only under a new format byte. Entries written as JSON before it still read back.
 */
public final class CorrelationEntrySerde implements Serde<CorrelationEntry> {

  /** The first byte of this layout, which ends with who issued a command; JSON starts with '{'. */
  static final byte FORMAT = 2;
  /** The first layout, without who issued a command: still read. */
  static final byte FORMAT_WITHOUT_ACTOR = 1;

  private static final byte NULL = 0;
  private static final byte LONG = 1;
  private static final byte TRUE = 2;
  private static final byte FALSE = 3;
  private static final byte TEXT = 4;
  private static final byte LIST = 5;
  private static final Deserializer<CorrelationEntry> JSON = JsonSerde.of(CorrelationEntry.class).deserializer();

  @Override
  public Serializer<CorrelationEntry> serializer() {
    return (topic, entry) -> entry == null ? null : write(entry);
  }

  @Override
  public Deserializer<CorrelationEntry> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length > 0 && bytes[0] == '{') {
        return JSON.deserialize(topic, bytes);
      }
      try {
        return read(bytes);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("cannot read a correlation entry on " + topic, e);
      }
    };
  }

  static byte[] write(CorrelationEntry entry) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeByte(kindCode(entry.kind()));
      writeText(out, entry.correlationId());
      writeText(out, entry.id());
      writeText(out, entry.aggregateType());
      writeText(out, entry.aggregateId());
      writeText(out, entry.type());
      writeText(out, entry.commandId());
      writeText(out, entry.causationId());
      writeValue(out, entry.aggregateVersion());
      if (entry.timestamp() == null) {
        out.writeByte(NULL);
      } else {
        out.writeByte(LONG);
        out.writeLong(entry.timestamp().getEpochSecond());
        out.writeInt(entry.timestamp().getNano());
      }
      Map<String, Object> fields = entry.fields() == null ? Map.of() : entry.fields();
      out.writeInt(fields.size());
      for (Map.Entry<String, Object> field : fields.entrySet()) {
        writeText(out, field.getKey());
        writeValue(out, field.getValue());
      }
      writeText(out, entry.issuedBy());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static CorrelationEntry read(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    byte format = in.readByte();
    if (format != FORMAT && format != FORMAT_WITHOUT_ACTOR) {
      throw new IOException("unknown correlation entry format " + format);
    }
    Kind kind = kindOf(in.readByte());
    String correlationId = readText(in);
    String id = readText(in);
    String aggregateType = readText(in);
    String aggregateId = readText(in);
    String type = readText(in);
    String commandId = readText(in);
    String causationId = readText(in);
    Long aggregateVersion = (Long) readValue(in);
    Instant timestamp = in.readByte() == NULL ? null : Instant.ofEpochSecond(in.readLong(), in.readInt());
    int count = in.readInt();
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      fields.put(readText(in), readValue(in));
    }
    String issuedBy = format == FORMAT ? readText(in) : null;
    if (in.available() > 0) {
      throw new IOException(in.available() + " bytes after the entry");
    }
    return new CorrelationEntry(correlationId, kind, aggregateType, aggregateId, id, type, commandId, causationId,
        aggregateVersion, timestamp, Collections.unmodifiableMap(fields), issuedBy);
  }

  /** The codes are stored: never renumber one. */
  private static byte kindCode(Kind kind) {
    return switch (kind) {
      case COMMAND -> 1;
      case EVENT -> 2;
      case RESULT -> 3;
    };
  }

  private static Kind kindOf(byte code) throws IOException {
    return switch (code) {
      case 1 -> Kind.COMMAND;
      case 2 -> Kind.EVENT;
      case 3 -> Kind.RESULT;
      default -> throw new IOException("unknown correlation entry kind " + code);
    };
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    if (text == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readText(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    if (length > in.available()) {
      throw new IOException("a text of " + length + " bytes in " + in.available() + " left");
    }
    byte[] utf8 = new byte[length];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /** The values {@link CorrelationEntry} holds: null, whole numbers, booleans, text, and lists of them. */
  private static void writeValue(DataOutputStream out, Object value) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof Long || value instanceof Integer) {
      out.writeByte(LONG);
      out.writeLong(((Number) value).longValue());
    } else if (value instanceof Boolean flag) {
      out.writeByte(flag ? TRUE : FALSE);
    } else if (value instanceof List<?> list) {
      out.writeByte(LIST);
      out.writeInt(list.size());
      for (Object item : list) {
        writeValue(out, item);
      }
    } else {
      out.writeByte(TEXT);
      writeText(out, value.toString());
    }
  }

  private static Object readValue(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case LONG -> in.readLong();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case TEXT -> readText(in);
      case LIST -> {
        int size = in.readInt();
        if (size < 0 || size > in.available()) {
          throw new IOException("a list of " + size + " items in " + in.available() + " bytes");
        }
        List<Object> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          items.add(readValue(in));
        }
        yield Collections.unmodifiableList(items);
      }
      default -> throw new IOException("unknown value tag " + tag);
    };
  }
}
