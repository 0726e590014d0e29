package io.ledgerstream.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a re-drive record looks like on the topic: its key and JSON are stored, so they must never change by accident. */
class RedriveLogTest {

  @Test
  void writesTheStoredKeyAndJsonOfARedrive() {
    Redrive redrive = new Redrive("3@17", Instant.parse("2026-01-02T03:04:05.678Z"), "ledger.account.commands", 2,
        118, "cli:alice");

    var record = RedriveLog.record(redrive);

    assertThat(record.topic()).isEqualTo("ledger.dlq.redrives");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("3@17");
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"letter\":\"3@17\","
        + "\"redrivenAt\":\"2026-01-02T03:04:05.678Z\",\"topic\":\"ledger.account.commands\",\"partition\":2,"
        + "\"offset\":118,\"by\":\"cli:alice\"}");
    assertThat(RedriveLog.parse(record.value())).isEqualTo(redrive);
  }

  @Test
  void readsPositionsAsTheCliAndTheApiWriteThem() {
    assertThat(LetterPosition.parse(" 4@1207 ")).isEqualTo(new LetterPosition(4, 1207));
    assertThat(new LetterPosition(4, 1207)).hasToString("4@1207");
    assertThat(DeadLetters.parseCursor("0@15,3@2")).containsEntry(0, 15L).containsEntry(3, 2L).hasSize(2);
    assertThat(DeadLetters.formatCursor(new java.util.TreeMap<>(java.util.Map.of(0, 15L, 3, 2L)))).isEqualTo("0@15,3@2");
  }

  @Test
  void showsBytesAsTextOnlyWhenTheyArePrintable() {
    assertThat(DeadLetterJson.bytes("hello\n".getBytes(StandardCharsets.UTF_8))).containsEntry("text", "hello\n");
    assertThat(DeadLetterJson.bytes(new byte[] {0, 0, 0, 1, 2})).containsEntry("hex", "0000000102")
        .containsEntry("base64", "AAAAAQI=").doesNotContainKey("text");
    assertThat(DeadLetterJson.preview(new byte[] {(byte) 0xff, 1})).isEqualTo("ff 01");
  }
}
