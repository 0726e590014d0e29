package io.ledgerstream.transfer;

import io.ledgerstream.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The wire-format fixtures of the transfer events written before TransferRequested v2 (see
 * {@code fixtures/README.md}): each as a registry that holds the released schema it was written with would serve it.
 */
public enum TransferEventFixtures {

  /** Written with version 1 of subject {@code ledger.transfer.events-value}. */
  SUBJECT_V1("transfer-event-v1", "T-fixture-v1", "5d0c7a1e-2b3f-4c5d-8e9f-0a1b2c3d4e01",
      "9b8a7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c01"),
  /** Written with version 2, the last release before the change. */
  SUBJECT_V2("transfer-event-v2", "T-fixture-v2", "5d0c7a1e-2b3f-4c5d-8e9f-0a1b2c3d4e02",
      "9b8a7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c02");

  public static final String SUBJECT = "ledger.transfer.events-value";
  public static final String FROM = "acc-fixture-from";
  public static final String TO = "acc-fixture-to";
  public static final long AMOUNT_MINOR = 2500;
  public static final String CURRENCY = "EUR";

  private final String file;
  private final String transferId;
  private final String eventId;
  private final String correlationId;

  TransferEventFixtures(String file, String transferId, String eventId, String correlationId) {
    this.file = file;
    this.transferId = transferId;
    this.eventId = eventId;
    this.correlationId = correlationId;
  }

  public static List<TransferEventFixtures> all() {
    return List.of(values());
  }

  public String transferId() {
    return transferId;
  }

  public String eventId() {
    return eventId;
  }

  /** The event's correlation id, also its command id and causation id. */
  public String correlationId() {
    return correlationId;
  }

  /** The released schema the bytes were written with (a copy of the subject's released version). */
  public Schema writerSchema() {
    return new Schema.Parser().parse(new String(resource(file + ".avsc"), StandardCharsets.UTF_8));
  }

  /** The bytes as written, with the schema id the file holds. */
  public byte[] bytes() {
    return resource(file + "-transfer-requested.bin");
  }

  private static byte[] resource(String name) {
    try (InputStream in = TransferEventFixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The bytes as this registry would serve them: the writer schema registered under a subject of the fixtures' own
   * (so the subject's own history, which may only move forward, is left alone), its id over bytes 1-4.
   */
  public byte[] bytesIn(SchemaRegistryClient registry) {
    int id = registry.register("fixtures." + name().toLowerCase() + "-value", writerSchema());
    byte[] bytes = bytes();
    ByteBuffer.wrap(bytes, 1, 4).putInt(id);
    return bytes;
  }
}
