package io.ledgerstream.faults;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Account commands the command side must dead-letter: bytes that are no Avro at all, a schema id the registry never
 * issued, a command type from a newer schema (registered, as a newer producer would), and a valid command above the
 * size limit.
 */
public final class PoisonMix {

  /** A schema id far above any the registry hands out. */
  static final int UNKNOWN_SCHEMA_ID = 1_999_999_999;
  private static final AtomicInteger NEVER_SEEN = new AtomicInteger();

  private final Topics topics;
  private final SchemaRegistryClient registry;
  private Schema futureSchema;
  private int futureSchemaId;

  public PoisonMix(Topics topics, SchemaRegistryClient registry) {
    this.topics = topics;
    this.registry = registry;
  }

  /** All kinds, so a run can inject one of each. */
  public List<Function<String, PoisonRecord>> kinds() {
    return List.of(this::garbage, this::unknownSchemaId, this::unknownCommandType, this::oversized);
  }

  public PoisonRecord any(String key, Random random) {
    List<Function<String, PoisonRecord>> kinds = kinds();
    return kinds.get(random.nextInt(kinds.size())).apply(key);
  }

  public PoisonRecord garbage(String key) {
    return poison("garbage", key, ("not avro " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
  }

  public PoisonRecord unknownSchemaId(String key) {
    return unknownSchemaId(key, UNKNOWN_SCHEMA_ID);
  }

  /**
   * Bytes naming a schema id no instance has asked the registry about yet, so decoding them needs the registry: a
   * registry outage must hold them back, not dead-letter them as unknown, until the registry can say so.
   */
  public PoisonRecord neverSeenSchemaId(String key) {
    return unknownSchemaId(key, UNKNOWN_SCHEMA_ID + 1 + NEVER_SEEN.getAndIncrement());
  }

  private PoisonRecord unknownSchemaId(String key, int schemaId) {
    ByteBuffer bytes = ByteBuffer.allocate(5 + 16);
    bytes.put((byte) 0).putInt(schemaId);
    UUID random = UUID.randomUUID();
    bytes.putLong(random.getMostSignificantBits()).putLong(random.getLeastSignificantBits());
    return poison("unknown schema id", key, bytes.array());
  }

  /** An AccountCommand whose payload is a branch of a newer schema's union that this code does not know. */
  public PoisonRecord unknownCommandType(String key) {
    Schema schema = futureSchema();
    Schema freeze = schema.getField("payload").schema().getTypes().stream()
        .filter(branch -> branch.getName().equals("FreezeAccount")).findFirst().orElseThrow();
    GenericRecord payload = new GenericData.Record(freeze);
    payload.put("until", "2030-01-01");
    GenericRecord metadata = new GenericData.Record(schema.getField("metadata").schema());
    metadata.put("commandId", UUID.randomUUID().toString());
    metadata.put("issuedAt", Instant.now().toEpochMilli());
    GenericRecord envelope = new GenericData.Record(schema);
    envelope.put("metadata", metadata);
    envelope.put("payload", payload);
    return poison("unknown command type", key, encode(schema, futureSchemaId, envelope));
  }

  /** A valid deposit whose reference makes it larger than the command side's default limit. */
  public PoisonRecord oversized(String key) {
    String reference = "x".repeat(CommandSideConfig.DEFAULTS.maxCommandBytes() + 1);
    AccountCommand command = (AccountCommand) CommandFactory.envelope(AccountType.TYPE, "DepositMoney",
        Map.of("amountMinor", 1L, "reference", reference), CommandFactory.metadata(null, null, null, "faults"));
    return poison("oversized", key, topics.accountCommands.valueSerde().serializer().serialize(Topics.ACCOUNT_COMMANDS,
        command));
  }

  private PoisonRecord poison(String kind, String key, byte[] value) {
    return new PoisonRecord(kind, RawRecord.of(Topics.ACCOUNT_COMMANDS, key, value));
  }

  private synchronized Schema futureSchema() {
    if (futureSchema == null) {
      String current = AccountCommand.getClassSchema().toString();
      String branch = "{\"type\":\"record\",\"name\":\"FreezeAccount\",\"fields\":[{\"name\":\"until\",\"type\":\"string\"}]},";
      String future = current.replaceFirst("\\{\"type\":\"record\",\"name\":\"OpenAccount\"",
          branch + "{\"type\":\"record\",\"name\":\"OpenAccount\"");
      if (future.equals(current)) {
        throw new IllegalStateException("cannot add a command type to " + current);
      }
      futureSchema = new Schema.Parser().parse(future);
      futureSchemaId = registry.register(topics.accountCommands.valueSubject(), futureSchema);
    }
    return futureSchema;
  }

  private static byte[] encode(Schema schema, int id, GenericRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0);
      out.write(ByteBuffer.allocate(4).putInt(id).array());
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
