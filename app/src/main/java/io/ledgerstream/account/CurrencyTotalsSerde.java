package io.ledgerstream.account;

import io.ledgerstream.streams.projection.JsonSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A fixed binary form of {@link CurrencyTotals} for the totals store and its changelog. A currency's totals are read
 * and written back on every account event, so through the record cache, which keeps bytes, they are decoded and
 * encoded once per event: as JSON that cost a sixth of a rebuild's stream thread. Stored: the layout is pinned by a
 * golden test; change it only under a new format byte. Totals written as JSON before it still read back.
 *
 * <p>Layout: the format byte, the currency's length in UTF-8 bytes (one unsigned byte) and bytes, then the ten counts
 * as big-endian longs in the record's order.
 */
public final class CurrencyTotalsSerde implements Serde<CurrencyTotals> {

  /** The first byte of this layout; JSON starts with '{'. */
  static final byte FORMAT = 1;

  private static final int COUNTS = 10;
  private static final int MAX_CURRENCY_BYTES = 255;
  private static final Deserializer<CurrencyTotals> JSON = JsonSerde.of(CurrencyTotals.class).deserializer();

  @Override
  public Serializer<CurrencyTotals> serializer() {
    return (topic, totals) -> totals == null ? null : write(totals);
  }

  @Override
  public Deserializer<CurrencyTotals> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length > 0 && bytes[0] == '{') {
        return JSON.deserialize(topic, bytes);
      }
      return read(topic, bytes);
    };
  }

  static byte[] write(CurrencyTotals totals) {
    byte[] currency = totals.currency().getBytes(StandardCharsets.UTF_8);
    if (currency.length > MAX_CURRENCY_BYTES) {
      throw new SerializationException("a currency code of " + currency.length + " bytes");
    }
    return ByteBuffer.allocate(2 + currency.length + COUNTS * Long.BYTES)
        .put(FORMAT)
        .put((byte) currency.length)
        .put(currency)
        .putLong(totals.accounts())
        .putLong(totals.openAccounts())
        .putLong(totals.closedAccounts())
        .putLong(totals.balanceMinor())
        .putLong(totals.depositedMinor())
        .putLong(totals.withdrawnMinor())
        .putLong(totals.debitedMinor())
        .putLong(totals.creditedMinor())
        .putLong(totals.refundedMinor())
        .putLong(totals.events())
        .array();
  }

  private static CurrencyTotals read(String topic, byte[] bytes) {
    if (bytes.length < 2 || bytes[0] != FORMAT) {
      throw new SerializationException("not currency totals on " + topic + ": "
          + (bytes.length == 0 ? "no bytes" : "format byte " + bytes[0]));
    }
    int currencyLength = Byte.toUnsignedInt(bytes[1]);
    int expected = 2 + currencyLength + COUNTS * Long.BYTES;
    if (bytes.length != expected) {
      throw new SerializationException("currency totals on " + topic + " take " + expected + " bytes, not "
          + bytes.length);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 2 + currencyLength, COUNTS * Long.BYTES);
    return new CurrencyTotals(new String(bytes, 2, currencyLength, StandardCharsets.UTF_8),
        in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
        in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
  }
}
