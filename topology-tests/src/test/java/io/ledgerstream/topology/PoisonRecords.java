package io.ledgerstream.topology;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Records that decode on the wire but not into the current classes. */
final class PoisonRecords {

  private PoisonRecords() {
  }

  /**
   * An AccountCommand written by a newer producer whose payload union has a branch this code has never heard of,
   * registered like a real producer would.
   */
  static byte[] commandOfAFutureType(SchemaRegistryClient registry, String subject) {
    String current = AccountCommand.getClassSchema().toString();
    String future = current.replace("\"type\":[\"OpenAccount\"", "\"type\":[{\"type\":\"record\",\"name\":\"FreezeAccount\","
        + "\"fields\":[{\"name\":\"until\",\"type\":\"string\"}]},\"OpenAccount\"");
    if (future.equals(current)) {
      future = current.replaceFirst("\\{\"type\":\"record\",\"name\":\"OpenAccount\"",
          "{\"type\":\"record\",\"name\":\"FreezeAccount\",\"fields\":[{\"name\":\"until\",\"type\":\"string\"}]},"
              + "{\"type\":\"record\",\"name\":\"OpenAccount\"");
    }
    Schema schema = new Schema.Parser().parse(future);
    int id = registry.register(subject, schema);
    Schema payloadUnion = schema.getField("payload").schema();
    Schema freeze = payloadUnion.getTypes().stream().filter(s -> s.getName().equals("FreezeAccount")).findFirst()
        .orElseThrow(() -> new IllegalStateException("could not add a branch to " + current));
    GenericRecord payload = new GenericData.Record(freeze);
    payload.put("until", "2030-01-01");
    Schema metadataSchema = schema.getField("metadata").schema();
    GenericRecord metadata = new GenericData.Record(metadataSchema);
    metadata.put("commandId", "future-1");
    metadata.put("issuedAt", Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    GenericRecord envelope = new GenericData.Record(schema);
    envelope.put("metadata", metadata);
    envelope.put("payload", payload);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0);
      out.write(ByteBuffer.allocate(4).putInt(id).array());
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(schema).write(envelope, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
