package io.ledgerstream.streams.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.streams.projection.CorrelationEntry.Kind;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class CorrelationEntrySerdeTest {

  private static final CorrelationEntrySerde SERDE = new CorrelationEntrySerde();
  private static final Instant AT = Instant.parse("2026-03-01T10:00:00.123456789Z");

  /** The first layout, without the issuer: entries stored in it must still read. */
  private static final String GOLDEN_V1 = "010200000001630000000165000000076163636f756e7400000001410000000e4d6f6e65794465706f73697465640000"
      + "000178ffffffff010000000000000003010000000069a40e20075bcd1500000005000000066e756d6265720100000000"
      + "000000fa000000046e616d6504000000047a6fc3ab000000046c69737405000000020100000000000000010400000004"
      + "66696c6c00000004666c616702000000046e6f6e6500";

  /**
   * Stored in the correlations store and its changelog: a change of these bytes strands every rebuilt index. The
   * current layout is the first with format byte 2 and the issuer appended.
   */
  private static final String GOLDEN = "02" + GOLDEN_V1.substring(2) + "00000005616c696365";

  @Test
  void writesThePinnedBytes() {
    assertThat(HexFormat.of().formatHex(CorrelationEntrySerde.write(entry("alice")))).isEqualTo(GOLDEN);
    assertThat(SERDE.deserializer().deserialize("t", HexFormat.of().parseHex(GOLDEN))).isEqualTo(entry("alice"));
  }

  @Test
  void readsEntriesStoredInTheFirstLayoutWithoutAnIssuer() {
    assertThat(SERDE.deserializer().deserialize("t", HexFormat.of().parseHex(GOLDEN_V1))).isEqualTo(entry(null));
  }

  @Test
  void everyKindAndEveryNullReadsBackEqual() {
    for (Kind kind : Kind.values()) {
      CorrelationEntry sparse = new CorrelationEntry("c", kind, null, null, "i", null, null, null, null, null, Map.of(),
          null);
      assertThat(roundTrip(sparse)).isEqualTo(sparse);
    }
    assertThat(roundTrip(entry())).isEqualTo(entry());
    assertThat(SERDE.serializer().serialize("t", null)).isNull();
  }

  @Test
  void readsEntriesStoredAsJsonBeforeTheBinaryLayout() {
    byte[] json = JsonSerde.of(CorrelationEntry.class).serializer().serialize("t", entry());
    assertThat(SERDE.deserializer().deserialize("t", json)).isEqualTo(entry());
  }

  @Test
  void rejectsTruncatedOrUnknownBytesWithASerializationError() {
    byte[] bytes = CorrelationEntrySerde.write(entry());
    for (int length : List.of(1, 2, 7, bytes.length / 2, bytes.length - 1)) {
      assertThatThrownBy(() -> SERDE.deserializer().deserialize("t", Arrays.copyOf(bytes, length)))
          .isInstanceOf(SerializationException.class);
    }
    byte[] unknownFormat = bytes.clone();
    unknownFormat[0] = 9;
    assertThatThrownBy(() -> SERDE.deserializer().deserialize("t", unknownFormat))
        .isInstanceOf(SerializationException.class);
  }

  private static CorrelationEntry roundTrip(CorrelationEntry entry) {
    return SERDE.deserializer().deserialize("t", SERDE.serializer().serialize("t", entry));
  }

  private static CorrelationEntry entry() {
    return entry("alice");
  }

  private static CorrelationEntry entry(String issuedBy) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("number", 250L);
    fields.put("name", "zoë");
    fields.put("list", List.of(1L, "fill"));
    fields.put("flag", true);
    fields.put("none", null);
    return new CorrelationEntry("c", Kind.EVENT, "account", "A", "e", "MoneyDeposited", "x", null, 3L, AT, fields,
        issuedBy);
  }
}
