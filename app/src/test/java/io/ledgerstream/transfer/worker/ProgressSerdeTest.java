package io.ledgerstream.transfer.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.domain.transfer.TransferProcess.Cause;
import io.ledgerstream.domain.transfer.TransferProcess.Progress;
import io.ledgerstream.domain.transfer.TransferProcess.Step;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Golden bytes of the worker's stored progress: a change to what is stored must fail here, not strand transfers. */
class ProgressSerdeTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final Progress CREDITING = new Progress("A", "B", 300, "EUR", Step.CREDIT, null, null);
  private static final Progress REFUNDING = new Progress("A", "B", 300, "EUR", Step.REFUND, "ACCOUNT_CLOSED",
      "account is closed");
  /** Format 1, then TransferProgress-v1 in Avro binary: from, to, amountMinor, currency, step, failureCode/Reason. */
  private static final String CREDITING_V1 = "0102410242d80406455552040000";
  private static final String REFUNDING_V1 = "0102410242d804064555520a021c4143434f554e545f434c4f534544"
      + "02226163636f756e7420697320636c6f736564";

  private static final Progress SETTLING = new Progress("A", "B", 300, "EUR", Step.SETTLE, null, null, "e-1", 2,
      new Cause("e-2", "c-1", 1_000));
  /**
   * Format 2, then TransferProgress-v2: the fields of v1, then eventId, attempts, causationId, correlationId and
   * issuedAt.
   */
  private static final String SETTLING_V2 = "0202410242d804064555521000000206652d31040206652d320206632d3102d00f";

  private final ProgressSerde serde = new ProgressSerde();

  @Test
  void writesFormatTwoAsTheGoldenBytes() {
    assertThat(HEX.formatHex(serde.serializer().serialize("t", SETTLING))).isEqualTo(SETTLING_V2);
  }

  @Test
  void readsTheGoldenBytesOfFormatTwo() {
    assertThat(serde.deserializer().deserialize("t", HEX.parseHex(SETTLING_V2))).isEqualTo(SETTLING);
  }

  @Test
  void readsTheGoldenBytesOfFormatOneWithOneTryAndNoCause() {
    assertThat(serde.deserializer().deserialize("t", HEX.parseHex(CREDITING_V1))).isEqualTo(CREDITING);
    assertThat(serde.deserializer().deserialize("t", HEX.parseHex(REFUNDING_V1))).isEqualTo(REFUNDING);
  }

  @Test
  void everyStepRoundTripsUnderItsStoredName() {
    for (Step step : Step.values()) {
      Progress progress = new Progress("from", "to", Long.MAX_VALUE, "EUR", step, "CODE", "reason", "event", 7,
          new Cause("cause", "correlation", Long.MAX_VALUE));

      assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", progress)))
          .isEqualTo(progress);
    }
  }

  @Test
  void readsProgressTheWorkerStoredAsJsonBeforeThisFormat() {
    byte[] legacy = ("{\"from\":\"A\",\"to\":\"B\",\"amountMinor\":300,\"currency\":\"EUR\",\"step\":\"REFUND\","
        + "\"failureCode\":\"ACCOUNT_CLOSED\",\"failureReason\":\"account is closed\"}")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(serde.deserializer().deserialize("t", legacy)).isEqualTo(REFUNDING);
  }

  @Test
  void refusesAFormatItDoesNotKnow() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", HEX.parseHex("07" + CREDITING_V1.substring(2))))
        .isInstanceOf(SerializationException.class).hasMessageContaining("format 7");
  }
}
