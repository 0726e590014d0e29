package io.ledgerstream.transfer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerstream.domain.transfer.TransferProcess.Cause;
import io.ledgerstream.domain.transfer.TransferProcess.Progress;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How the worker stores a transfer's {@link Progress} in its store and changelog: one format byte naming the schema
 * it was written with, then the Avro binary encoding of {@code TransferProgress-v<format>.avsc}. The worker owns this
 * format; a domain rename fails its golden test instead of stranding transfers in flight.
 *
 * <p>Records the worker wrote before this format existed (JSON, starting with {@code '{'}) still read, so transfers
 * in flight across the upgrade finish.
 */
final class ProgressSerde implements Serde<Progress> {

  /** The format new records are written in. */
  static final byte FORMAT = 2;
  private static final Map<Byte, Schema> WRITERS = Map.of((byte) 1, load("TransferProgress-v1.avsc"),
      (byte) 2, load("TransferProgress-v2.avsc"));
  private static final Schema CURRENT = WRITERS.get(FORMAT);
  private static final byte LEGACY_JSON = '{';
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Serializer<Progress> serializer() {
    return (topic, progress) -> progress == null ? null : encode(progress);
  }

  @Override
  public Deserializer<Progress> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  static byte[] encode(Progress progress) {
    GenericRecord record = new GenericData.Record(CURRENT);
    record.put("from", progress.from());
    record.put("to", progress.to());
    record.put("amountMinor", progress.amountMinor());
    record.put("currency", progress.currency());
    record.put("step", new GenericData.EnumSymbol(CURRENT.getField("step").schema(), progress.step().name()));
    record.put("failureCode", progress.failureCode());
    record.put("failureReason", progress.failureReason());
    record.put("eventId", progress.eventId());
    record.put("attempts", progress.attempts());
    Cause cause = progress.cause();
    record.put("causationId", cause == null ? null : cause.causationId());
    record.put("correlationId", cause == null ? null : cause.correlationId());
    record.put("issuedAt", cause == null ? null : cause.issuedAtMillis());
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(FORMAT);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(CURRENT).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot store the progress " + progress, e);
    }
  }

  static Progress decode(byte[] bytes) {
    if (bytes.length > 0 && bytes[0] == LEGACY_JSON) {
      return fromJson(bytes);
    }
    Schema writer = bytes.length == 0 ? null : WRITERS.get(bytes[0]);
    if (writer == null) {
      throw new SerializationException("stored progress in unknown format "
          + (bytes.length == 0 ? "(empty)" : bytes[0]));
    }
    try {
      GenericRecord record = new GenericDatumReader<GenericRecord>(writer, CURRENT)
          .read(null, DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null));
      Object issuedAt = record.get("issuedAt");
      Cause cause = issuedAt == null ? null
          : new Cause(text(record.get("causationId")), text(record.get("correlationId")), (Long) issuedAt);
      return new Progress(text(record.get("from")), text(record.get("to")), (Long) record.get("amountMinor"),
          text(record.get("currency")), Step.valueOf(record.get("step").toString()), text(record.get("failureCode")),
          text(record.get("failureReason")), text(record.get("eventId")), (Integer) record.get("attempts"), cause);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot read stored progress", e);
    }
  }

  /** The JSON of the domain record, as the worker stored it before; every field by its old name. */
  private static Progress fromJson(byte[] bytes) {
    try {
      JsonNode json = JSON.readTree(bytes);
      return new Progress(nullableText(json, "from"), nullableText(json, "to"), json.path("amountMinor").asLong(),
          nullableText(json, "currency"), Step.valueOf(json.path("step").asText()),
          nullableText(json, "failureCode"), nullableText(json, "failureReason"));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot read progress stored as JSON", e);
    }
  }

  private static String nullableText(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static Schema load(String resource) {
    try (InputStream in = ProgressSerde.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }
}
