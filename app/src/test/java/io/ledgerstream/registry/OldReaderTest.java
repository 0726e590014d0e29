package io.ledgerstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.avro.AccountEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a consumer that was not upgraded sees when it reads records written with a newer schema. */
class OldReaderTest {

  private static final String SCOPE = "old-reader";
  private static final String SUBJECT = "ledger.account.events-value";

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistry.drop(SCOPE);
  }

  @Test
  void anOldReaderSilentlyDropsAFieldAddedWithADefault() throws IOException {
    Schema v1 = new Schema.Parser().parse(resource("account-event-v1.avsc"));
    Schema v2 = AccountEvent.getClassSchema();
    GenericRecord written = event(v2, "MoneyDeposited", Map.of("amountMinor", 1250L, "reference", "salary",
        "channel", "http"));

    GenericRecord read = new GenericDatumReader<GenericRecord>(v2, v1)
        .read(null, DecoderFactory.get().binaryDecoder(encode(v2, written), null));

    GenericRecord payload = (GenericRecord) read.get("payload");
    assertThat(payload.get("amountMinor")).isEqualTo(1250L);
    assertThat(payload.getSchema().getField("channel")).isNull();
  }

  @Test
  void theSerdeSkipsStringAndBytesFieldsANewerWriterAdded() {
    InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(SCOPE);
    Schema current = AccountEvent.getClassSchema();
    Schema newer = new Schema.Parser().parse(current.toString().replaceFirst("\"fields\":\\[",
        "\"fields\":[{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"
            + "{\"name\":\"blob\",\"type\":\"bytes\",\"default\":\"\"},"));
    registry.register(SUBJECT, current);
    int newerId = registry.register(SUBJECT, newer);
    GenericRecord written = event(newer, "MoneyDeposited", Map.of("amountMinor", 1250L, "reference", "salary",
        "channel", "http"));
    written.put("note", "written by a newer client");
    written.put("blob", java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));

    AccountEvent read = new AvroSerde<>(AccountEvent.class, registry, false)
        .deserialize("ledger.account.events", wire(newerId, encode(newer, written)));

    assertThat(read.getMetadata().getEventId()).isEqualTo("x");
    assertThat(((io.ledgerstream.avro.MoneyDeposited) read.getPayload()).getReference()).isEqualTo("salary");
  }

  @Test
  void anOldReaderRefusesABreakingChangeWithAClearErrorInsteadOfGuessing() {
    Schema current = AccountEvent.getClassSchema();
    Schema broken = new Schema.Parser().parse(current.toString()
        .replace("\"name\":\"counterpartyAccountId\"", "\"name\":\"counterpartyId\""));
    assertThat(InMemorySchemaRegistry.scope(SCOPE).register(SUBJECT, broken)).isEqualTo(1);
    GenericRecord written = event(broken, "TransferDebited", Map.of("transferId", "t-1", "amountMinor", 500L,
        "counterpartyId", "acc-2"));
    byte[] wire = wire(1, encode(broken, written));
    AvroSerde<AccountEvent> oldReader = new AvroSerde<>(AccountEvent.class);
    oldReader.configure(Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE), false);

    assertThatThrownBy(() -> oldReader.deserialize("ledger.account.events", wire))
        .isInstanceOfSatisfying(AvroSerdeException.class, e ->
            assertThat(e.reason()).isEqualTo(AvroSerdeException.Reason.INCOMPATIBLE_WRITER_SCHEMA))
        .hasMessageContaining("MISSING_UNION_BRANCH");
    byte[] unchangedType = wire(1, encode(broken, event(broken, "MoneyDeposited",
        Map.of("amountMinor", 1250L, "reference", "salary"))));
    assertThatThrownBy(() -> oldReader.deserialize("ledger.account.events", unchangedType))
        .isInstanceOfSatisfying(AvroSerdeException.class, e ->
            assertThat(e.reason()).isEqualTo(AvroSerdeException.Reason.INCOMPATIBLE_WRITER_SCHEMA));
  }

  @Test
  void aReaderOnTheReleaseBeforeTransferRequestedV2CannotReadAnythingWrittenWithIt() throws IOException {
    Schema previous = new Schema.Parser().parse(resource("transfer-event-v2.avsc"));
    Schema current = io.ledgerstream.avro.TransferEvent.getClassSchema();

    SchemaCompatibility.SchemaPairCompatibility oldReadsNew =
        SchemaCompatibility.checkReaderWriterCompatibility(previous, current);
    SchemaCompatibility.SchemaPairCompatibility newReadsOld =
        SchemaCompatibility.checkReaderWriterCompatibility(current, previous);

    assertThat(oldReadsNew.getType()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE);
    assertThat(CompatibilityLevel.describe(oldReadsNew)).contains("MISSING_UNION_BRANCH");
    assertThat(newReadsOld.getType()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
  }

  private static GenericRecord event(Schema envelope, String type, Map<String, Object> fields) {
    Schema payloadSchema = envelope.getField("payload").schema().getTypes().stream()
        .filter(s -> s.getName().equals(type)).findFirst().orElseThrow();
    GenericRecord payload = new GenericData.Record(payloadSchema);
    fields.forEach(payload::put);
    Schema metadataSchema = envelope.getField("metadata").schema();
    GenericRecord metadata = new GenericData.Record(metadataSchema);
    for (Schema.Field field : metadataSchema.getFields()) {
      metadata.put(field.name(), sample(field.schema()));
    }
    GenericRecord event = new GenericData.Record(envelope);
    event.put("metadata", metadata);
    event.put("payload", payload);
    return event;
  }

  private static Object sample(Schema schema) {
    return switch (schema.getType()) {
      case STRING -> "x";
      case LONG -> 1L;
      case INT -> 1;
      case UNION -> null;
      default -> throw new IllegalArgumentException("no sample for " + schema);
    };
  }

  private static byte[] encode(Schema schema, GenericRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] wire(int id, byte[] avro) {
    byte[] bytes = new byte[avro.length + 5];
    bytes[4] = (byte) id;
    System.arraycopy(avro, 0, bytes, 5, avro.length);
    return bytes;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = OldReaderTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
