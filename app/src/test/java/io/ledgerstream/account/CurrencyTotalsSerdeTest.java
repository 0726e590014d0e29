package io.ledgerstream.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.streams.projection.JsonSerde;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class CurrencyTotalsSerdeTest {

  private static final CurrencyTotalsSerde SERDE = new CurrencyTotalsSerde();
  private static final CurrencyTotals TOTALS = new CurrencyTotals("EUR", 3, 2, 1, -250, 10_000, 2_000, 7_000, 6_500,
      250, 42);

  /** Stored in the totals store and its changelog: a change of these bytes strands every instance's totals. */
  private static final String GOLDEN = "0103455552"
      + "0000000000000003" + "0000000000000002" + "0000000000000001" + "ffffffffffffff06" + "0000000000002710"
      + "00000000000007d0" + "0000000000001b58" + "0000000000001964" + "00000000000000fa" + "000000000000002a";

  @Test
  void writesThePinnedBytes() {
    assertThat(HexFormat.of().formatHex(SERDE.serializer().serialize("t", TOTALS))).isEqualTo(GOLDEN);
    assertThat(SERDE.deserializer().deserialize("t", HexFormat.of().parseHex(GOLDEN))).isEqualTo(TOTALS);
  }

  @Test
  void readsTotalsStoredAsJsonBeforeTheBinaryLayout() {
    byte[] json = JsonSerde.of(CurrencyTotals.class).serializer().serialize("t", TOTALS);
    assertThat(json[0]).isEqualTo((byte) '{');
    assertThat(SERDE.deserializer().deserialize("t", json)).isEqualTo(TOTALS);
  }

  @Test
  void extremesAndNullReadBackEqual() {
    CurrencyTotals extremes = new CurrencyTotals("XAU", Long.MAX_VALUE, 0, Long.MIN_VALUE, -1, 1, 0, 0, 0, 0,
        Long.MAX_VALUE);
    assertThat(SERDE.deserializer().deserialize("t", SERDE.serializer().serialize("t", extremes)))
        .isEqualTo(extremes);
    assertThat(SERDE.serializer().serialize("t", null)).isNull();
    assertThat(SERDE.deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void rejectsTruncatedLongOrUnknownBytesWithASerializationError() {
    byte[] bytes = HexFormat.of().parseHex(GOLDEN);
    for (int length : List.of(0, 1, 2, 5, bytes.length - 1)) {
      assertThatThrownBy(() -> SERDE.deserializer().deserialize("t", Arrays.copyOf(bytes, length)))
          .as("%d bytes", length).isInstanceOf(SerializationException.class);
    }
    assertThatThrownBy(() -> SERDE.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(SerializationException.class);
    byte[] unknownFormat = bytes.clone();
    unknownFormat[0] = 9;
    assertThatThrownBy(() -> SERDE.deserializer().deserialize("t", unknownFormat))
        .isInstanceOf(SerializationException.class).hasMessageContaining("format byte 9");
  }
}
