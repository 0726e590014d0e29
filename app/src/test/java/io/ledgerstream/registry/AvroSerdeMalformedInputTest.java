package io.ledgerstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.registry.AvroSerdeException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class AvroSerdeMalformedInputTest {

  private static final String TOPIC = "ledger.account.events";

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, registry, true);
  private final byte[] valid = serde.serialize(TOPIC, Samples.moneyDeposited());

  @Test
  void rejectsEmptyBytes() {
    assertFails(() -> serde.deserialize(TOPIC, new byte[0]), Reason.TRUNCATED, "Empty");
  }

  @Test
  void rejectsWrongMagicByte() {
    byte[] json = "{\"amount\": 1}".getBytes();

    assertFails(() -> serde.deserialize(TOPIC, json), Reason.WRONG_MAGIC_BYTE, "0x7b");
  }

  @Test
  void rejectsWrongMagicByteEvenWhenShorterThanTheHeader() {
    assertFails(() -> serde.deserialize(TOPIC, new byte[] {1, 0}), Reason.WRONG_MAGIC_BYTE, "0x01");
  }

  @Test
  void rejectsBytesShorterThanTheHeader() {
    for (int length = 1; length < 5; length++) {
      byte[] header = Arrays.copyOf(valid, length);
      assertFails(() -> serde.deserialize(TOPIC, header), Reason.TRUNCATED, length + " bytes");
    }
  }

  @Test
  void rejectsAnUnknownSchemaId() {
    byte[] bytes = valid.clone();
    ByteBuffer.wrap(bytes).putInt(1, 4242);

    assertFails(() -> serde.deserialize(TOPIC, bytes), Reason.UNKNOWN_SCHEMA_ID, "4242");
  }

  @Test
  void rejectsATruncatedAvroBody() {
    byte[] bytes = Arrays.copyOf(valid, valid.length - 3);

    assertFails(() -> serde.deserialize(TOPIC, bytes), Reason.TRUNCATED, "end before the record");
  }

  @Test
  void rejectsAHeaderWithNoBody() {
    byte[] bytes = Arrays.copyOf(valid, 5);

    assertFails(() -> serde.deserialize(TOPIC, bytes), Reason.TRUNCATED, "end before the record");
  }

  @Test
  void rejectsTrailingGarbage() {
    byte[] bytes = Arrays.copyOf(valid, valid.length + 4);

    assertFails(() -> serde.deserialize(TOPIC, bytes), Reason.TRAILING_BYTES, "4 unexpected bytes");
  }

  @Test
  void rejectsDataWrittenWithAnUnrelatedSchema() {
    byte[] commandResult = new AvroSerde<>(CommandResult.class, registry, true).serialize(TOPIC + "-x",
        Samples.rejectedCommand());

    assertFails(() -> serde.deserialize(TOPIC, commandResult), Reason.INCOMPATIBLE_WRITER_SCHEMA,
        "io.ledgerstream.avro.CommandResult");
  }

  @Test
  void rejectsAnOutOfRangeUnionBranch() {
    byte[] bytes = valid.clone();
    int payloadIndex = indexOfPayloadUnion();
    bytes[payloadIndex] = 0x7e; // zig-zag 63: the payload union has 7 branches

    assertFails(() -> serde.deserialize(TOPIC, bytes), Reason.MALFORMED_AVRO, "schema id");
  }

  @Test
  void rejectsAHugeDeclaredLengthWithoutAllocatingIt() {
    // header, then an eventId whose length claims about a gigabyte
    byte[] bytes = {0, 0, 0, 0, 1, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 'a', 'b'};

    assertFails(() -> serde.deserialize(TOPIC, bytes), Reason.TRUNCATED, "end before the record");
  }

  @Test
  void rejectsAHugeDeclaredItemCountWithoutAllocatingIt() {
    AvroSerde<CommandResult> results = new AvroSerde<>(CommandResult.class, registry, true);
    byte[] bytes = results.serialize("results", Samples.rejectedCommand());
    // the eventIds array: a block of 2 items (zig-zag 0x04), "e-7" (length 0x06) and "e-8", then the end (0x00)
    int block = indexOf(bytes, new byte[] {0x04, 0x06, 'e', '-', '7'});
    byte[] huge = new byte[bytes.length + 4];
    System.arraycopy(bytes, 0, huge, 0, block);
    byte[] count = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}; // about a billion items
    System.arraycopy(count, 0, huge, block, count.length);
    System.arraycopy(bytes, block + 1, huge, block + count.length, bytes.length - block - 1);

    assertThatThrownBy(() -> results.deserialize("results", huge)).isInstanceOfSatisfying(AvroSerdeException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED)).hasMessageContaining("items");
  }

  @Test
  void corruptedBytesAlwaysFailWithASerdeException() {
    AvroSerde<CommandResult> results = new AvroSerde<>(CommandResult.class, registry, true);
    byte[][] originals = {valid, results.serialize("results", Samples.rejectedCommand())};
    Random random = new Random(20240506L);
    for (int i = 0; i < 3_000; i++) {
      byte[] original = originals[i % 2];
      byte[] corrupted = original.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        corrupted[5 + random.nextInt(corrupted.length - 5)] = (byte) random.nextInt(256);
      }
      byte[] input = random.nextBoolean() ? corrupted : Arrays.copyOf(corrupted, 5 + random.nextInt(corrupted.length - 4));
      try {
        if (i % 2 == 0) {
          serde.deserialize(TOPIC, input);
        } else {
          results.deserialize("results", input);
        }
      } catch (AvroSerdeException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i <= bytes.length - part.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  /** The offset of the payload's union index: right after the metadata record. */
  private int indexOfPayloadUnion() {
    byte[] metadataOnly = serde.serialize(TOPIC, Samples.moneyDeposited());
    // the MoneyDeposited branch is index 1 (zig-zag 0x02) and precedes amountMinor 4200 (0xd0 0x41)
    for (int i = 5; i < metadataOnly.length - 2; i++) {
      if (metadataOnly[i] == 0x02 && metadataOnly[i + 1] == (byte) 0xd0 && metadataOnly[i + 2] == 0x41) {
        return i;
      }
    }
    throw new AssertionError("payload union index not found");
  }

  private static void assertFails(ThrowingCallable call, Reason reason, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(AvroSerdeException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e).hasMessageContaining(messagePart).hasMessageContaining(TOPIC);
    });
  }
}
