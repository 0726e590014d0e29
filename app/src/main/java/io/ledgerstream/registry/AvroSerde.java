package io.ledgerstream.registry;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro class in the Confluent wire format: magic byte 0, the 4-byte
 * big-endian schema id, then Avro binary.
 *
 * <p>Subjects follow the topic-name strategy ({@code <topic>-value}, {@code <topic>-key}), or, for a serde made by
 * {@link #underRecordName}, the record-name strategy (the record's full name, whatever the topic).
 * Serializing registers the class's schema when {@code auto.register.schemas} is true and
 * otherwise (the default) only looks its id up, once per subject; {@link #prepare} does it ahead of the first record.
 * Deserializing resolves the writer schema (fetched by id) to the class's current schema, so records written with
 * older versions still read.
 *
 * <p>A serde may pass every record it reads through a function ({@code onRead}): an aggregate type's upcaster chain,
 * which turns events written in an older version into the newest shape before any consumer sees them.
 *
 * <p>Either construct it with a client ({@code new AvroSerde<>(recordClass, client, true)})
 * or with the class alone and then {@link #configure(Map, boolean)} it from
 * {@link SchemaRegistryConfig} keys.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  private static final byte MAGIC_BYTE = 0;
  private static final int HEADER_SIZE = 5;
  /** Each thread encodes into its own buffer and encoder, reused from record to record. */
  private static final ThreadLocal<Encoding> ENCODING = ThreadLocal.withInitial(Encoding::new);
  private static final ThreadLocal<BoundedDecoder> DECODER = ThreadLocal.withInitial(BoundedDecoder::new);

  private final Class<T> type;
  private final SpecificData model;
  private final Schema schema;
  private final SpecificDatumWriter<T> writer;
  private final UnaryOperator<T> onRead;
  private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();
  private final String recordNameSubject;
  private volatile SchemaRegistryClient client;
  private volatile boolean autoRegister;
  private volatile boolean isKey;

  /** A serde to {@link #configure(Map, boolean)} before use. */
  public AvroSerde(Class<T> type) {
    this(type, UnaryOperator.identity());
  }

  /** A serde to {@link #configure(Map, boolean)} before use, passing every record it reads through {@code onRead}. */
  public AvroSerde(Class<T> type, UnaryOperator<T> onRead) {
    this(type, onRead, false);
  }

  private AvroSerde(Class<T> type, UnaryOperator<T> onRead, boolean underRecordName) {
    this.type = Objects.requireNonNull(type, "type");
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.writer = new SpecificDatumWriter<>(schema, model);
    this.onRead = Objects.requireNonNull(onRead, "onRead");
    this.recordNameSubject = underRecordName ? schema.getFullName() : null;
  }

  /**
   * A value serde that writes under the subject named by the record's full name (Confluent's record-name strategy)
   * on every topic, registering its schema there: for topics whose names are not known until the streams run
   * (changelogs, repartition topics), so {@link #prepare} can register the schema before the first record.
   */
  public static <T extends SpecificRecord> AvroSerde<T> underRecordName(Class<T> type, SchemaRegistryClient client,
                                                                        UnaryOperator<T> onRead) {
    AvroSerde<T> serde = new AvroSerde<>(type, onRead, true);
    serde.client = Objects.requireNonNull(client, "client");
    serde.autoRegister = true;
    return serde;
  }

  /**
   * A value serde ready to use. {@link #configure(Map, boolean)} may still switch it to keys or
   * set {@code auto.register.schemas}; the given client is kept whatever the configs say.
   */
  public AvroSerde(Class<T> type, SchemaRegistryClient client, boolean autoRegister) {
    this(type, client, autoRegister, UnaryOperator.identity());
  }

  /** A value serde ready to use that passes every record it reads through {@code onRead}. */
  public AvroSerde(Class<T> type, SchemaRegistryClient client, boolean autoRegister, UnaryOperator<T> onRead) {
    this(type, onRead);
    this.client = Objects.requireNonNull(client, "client");
    this.autoRegister = autoRegister;
  }

  /**
   * Creates the registry client from the configs unless one was given, and reads
   * {@link SchemaRegistryConfig#AUTO_REGISTER_SCHEMAS} when present.
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    if (client == null) {
      client = SchemaRegistryClients.create(configs);
    }
    autoRegister = SchemaRegistryConfig.bool(configs, SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS, autoRegister);
    idsBySubject.clear();
  }

  /** The schema this serde writes and reads into. */
  public Schema schema() {
    return schema;
  }

  @Override
  public Serializer<T> serializer() {
    return new Serializer<>() {
      @Override
      public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerde.this.configure(configs, isKey);
      }

      @Override
      public byte[] serialize(String topic, T data) {
        return AvroSerde.this.serialize(topic, data);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return new Deserializer<>() {
      @Override
      public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerde.this.configure(configs, isKey);
      }

      @Override
      public T deserialize(String topic, byte[] data) {
        return AvroSerde.this.deserialize(topic, data);
      }
    };
  }

  /** Encodes a record; null stays null (a tombstone). */
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    int id = schemaId(topic);
    Encoding encoding = ENCODING.get();
    RecordBuffer out = encoding.start(id);
    try {
      writer.write(data, encoding.encoder);
    } catch (IOException | RuntimeException e) {
      throw new AvroSerdeException(AvroSerdeException.Reason.INVALID_RECORD,
          "Cannot encode " + type.getSimpleName() + " for a " + where(topic) + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** Decodes a record written in the Confluent wire format, in one pass over the bytes; null stays null. */
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length == 0) {
      throw new AvroSerdeException(AvroSerdeException.Reason.TRUNCATED, "Empty " + where(topic)
          + ": expected the magic byte 0, a 4-byte schema id and Avro data");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new AvroSerdeException(AvroSerdeException.Reason.WRONG_MAGIC_BYTE, String.format(
          "Unknown magic byte 0x%02x in a %s: not the Confluent wire format, which starts with 0x00",
          data[0], where(topic)));
    }
    if (data.length < HEADER_SIZE) {
      throw new AvroSerdeException(AvroSerdeException.Reason.TRUNCATED, "Truncated " + where(topic) + ": "
          + data.length + " bytes, but the header (magic byte and schema id) alone takes " + HEADER_SIZE);
    }
    int id = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    DatumReader<T> reader = readerFor(id, topic);
    // the decoder checks every declared length against the bytes present, so a corrupt length cannot make the
    // reader allocate gigabytes
    BoundedDecoder decoder = DECODER.get().reset(data, HEADER_SIZE, data.length - HEADER_SIZE);
    T record;
    try {
      record = reader.read(null, decoder);
    } catch (EOFException e) {
      throw new AvroSerdeException(AvroSerdeException.Reason.TRUNCATED, "Truncated " + where(topic)
          + ": its " + (data.length - HEADER_SIZE) + " bytes of Avro data end before the record written with schema id "
          + id + " does (" + e.getMessage() + ")", e);
    } catch (IOException | RuntimeException e) {
      throw malformed(topic, id, e);
    }
    int unread = decoder.remaining();
    if (unread > 0) {
      throw new AvroSerdeException(AvroSerdeException.Reason.TRAILING_BYTES, unread + " unexpected bytes after the "
          + type.getSimpleName() + " in a " + where(topic) + " (writer schema id " + id + ")");
    }
    try {
      return onRead.apply(record);
    } catch (RuntimeException e) {
      throw new AvroSerdeException(AvroSerdeException.Reason.UPCAST_FAILED, "Cannot bring the " + type.getSimpleName()
          + " in a " + where(topic) + " (writer schema id " + id + ") to its newest shape: " + e, e);
    }
  }

  private AvroSerdeException malformed(String topic, int id, Exception e) {
    return new AvroSerdeException(AvroSerdeException.Reason.MALFORMED_AVRO, "Malformed Avro data in a "
        + where(topic) + " for writer schema id " + id + ": " + e, e);
  }

  /**
   * Registers or looks up, as serializing would, the id this serde writes with on the topic, so that writing to it
   * later needs no registry: call it before the streams start, while a failure can still stop the start.
   *
   * @param topic any topic for a serde {@link #underRecordName}
   */
  public int prepare(String topic) {
    return schemaId(topic);
  }

  /** The id this serde writes with on the topic, asked of the registry once per subject. */
  private int schemaId(String topic) {
    String subject = subject(topic);
    Integer cached = idsBySubject.get(subject);
    return cached != null ? cached : idsBySubject.computeIfAbsent(subject, this::registeredId);
  }

  private int registeredId(String subject) {
    SchemaRegistryClient registry = requireClient();
    try {
      return autoRegister ? registry.register(subject, schema) : registry.lookupId(subject, schema);
    } catch (SubjectNotFoundException | SchemaNotFoundException e) {
      throw new AvroSerdeException(AvroSerdeException.Reason.SCHEMA_NOT_REGISTERED, "The current schema of "
          + type.getName() + " is not registered under subject '" + subject + "' and "
          + SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS + " is false: register it first, or enable "
          + SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS + " (" + e.getMessage() + ")", e);
    } catch (IncompatibleSchemaException | InvalidSchemaException e) {
      throw new AvroSerdeException(AvroSerdeException.Reason.SCHEMA_REJECTED, "The registry refused the schema of "
          + type.getName() + " under subject '" + subject + "': " + e.getMessage(), e);
    }
  }

  /** The reader from the writer schema of this id to the class's schema, checked and built once per id. */
  private DatumReader<T> readerFor(int writerId, String topic) {
    DatumReader<T> cached = readersByWriterId.get(writerId);
    if (cached != null) {
      return cached;
    }
    Schema writerSchema;
    try {
      writerSchema = requireClient().schemaById(writerId);
    } catch (SchemaNotFoundException e) {
      throw new AvroSerdeException(AvroSerdeException.Reason.UNKNOWN_SCHEMA_ID, "Unknown schema id " + writerId
          + " in a " + where(topic) + ": the registry has no such schema", e);
    } catch (InvalidSchemaException e) {
      // the id names a schema that is no Avro (a JSON or Protobuf one, say): this record never decodes
      throw new AvroSerdeException(AvroSerdeException.Reason.INCOMPATIBLE_WRITER_SCHEMA, "A " + where(topic)
          + " was written with schema id " + writerId + ", which is no Avro schema: " + e.getMessage(), e);
    }
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(schema, writerSchema);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new AvroSerdeException(AvroSerdeException.Reason.INCOMPATIBLE_WRITER_SCHEMA, "A " + where(topic)
          + " was written with schema id " + writerId + " (" + writerSchema.getFullName() + "), which cannot be read as "
          + type.getName() + ": " + CompatibilityLevel.describe(compatibility));
    }
    DatumReader<T> reader = new SpecificDatumReader<>(writerSchema, schema, model);
    readersByWriterId.put(writerId, reader);
    return reader;
  }

  private SchemaRegistryClient requireClient() {
    SchemaRegistryClient registry = client;
    if (registry == null) {
      throw new IllegalStateException("AvroSerde<" + type.getSimpleName() + "> used before configure(): set "
          + SchemaRegistryConfig.URL + " or construct it with a SchemaRegistryClient");
    }
    return registry;
  }

  private String subject(String topic) {
    return recordNameSubject != null ? recordNameSubject : topic + (isKey ? "-key" : "-value");
  }

  private String where(String topic) {
    return (isKey ? "key" : "value") + " on topic '" + topic + "'";
  }

  private static final class Encoding {
    final RecordBuffer out = new RecordBuffer();
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);

    /** The buffer, emptied and holding the wire format's header. */
    RecordBuffer start(int schemaId) {
      out.reset();
      out.write(MAGIC_BYTE);
      out.write(schemaId >>> 24);
      out.write(schemaId >>> 16);
      out.write(schemaId >>> 8);
      out.write(schemaId);
      return out;
    }
  }

  /** A ByteArrayOutputStream without its per-call lock, kept by one thread. */
  private static final class RecordBuffer extends OutputStream {
    private static final int INITIAL = 512;
    private static final int KEPT = 64 * 1024;
    private byte[] bytes = new byte[INITIAL];
    private int size;

    /** Empties the buffer, and lets go of one a rare large record grew. */
    void reset() {
      size = 0;
      if (bytes.length > KEPT) {
        bytes = new byte[INITIAL];
      }
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
      ensure(length);
      System.arraycopy(source, offset, bytes, size, length);
      size += length;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }
}
