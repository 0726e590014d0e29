package io.ledgerstream.streams.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.streams.projection.CorrelationEntry.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CausalOrderTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void listsACommandsEventsInVersionOrderThenItsResult() {
    CorrelationEntry command = command("c1", null, 0);
    CorrelationEntry first = event("e1", "c1", 1, 0);
    CorrelationEntry second = event("e2", "c1", 2, 0);
    CorrelationEntry result = result("c1", 0);

    assertThat(CausalOrder.sort(List.of(result, second, command, first)))
        .containsExactly(command, first, second, result);
  }

  @Test
  void listsAWorkersCommandAfterTheEventThatCausedItWhateverTheClocksSay() {
    CorrelationEntry request = command("c1", null, 10);
    CorrelationEntry requested = event("e1", "c1", 1, 10);
    CorrelationEntry requestResult = result("c1", 10);
    CorrelationEntry leg = command("c2", "e1", 2);
    CorrelationEntry legEvent = event("e2", "c2", 1, 3);
    CorrelationEntry legResult = result("c2", 3);

    assertThat(CausalOrder.sort(List.of(legResult, legEvent, leg, requestResult, requested, request)))
        .containsExactly(request, requested, requestResult, leg, legEvent, legResult);
  }

  @Test
  void interleavesIndependentCommandsByTime() {
    CorrelationEntry early = command("c1", null, 1);
    CorrelationEntry late = command("c2", null, 5);
    CorrelationEntry earlyResult = result("c1", 1);
    CorrelationEntry lateResult = result("c2", 5);

    assertThat(CausalOrder.sort(List.of(lateResult, late, earlyResult, early)))
        .containsExactly(early, earlyResult, late, lateResult);
  }

  @Test
  void keepsEventsWhoseCommandHasExpiredInTimeOrder() {
    CorrelationEntry orphan = event("e1", "expired", 4, 1);
    CorrelationEntry later = command("c2", null, 2);

    assertThat(CausalOrder.sort(List.of(later, orphan))).containsExactly(orphan, later);
  }

  @Test
  void keepsEntriesThatClaimToCauseEachOther() {
    CorrelationEntry a = command("a", "b", 1);
    CorrelationEntry b = command("b", "a", 2);
    CorrelationEntry free = command("c", null, 3);

    assertThat(CausalOrder.sort(List.of(b, free, a))).containsExactly(free, a, b);
  }

  @Test
  void entriesReadBackFromJsonEqualTheOriginals() {
    JsonSerde<CorrelationEntry> serde = JsonSerde.of(CorrelationEntry.class);
    CorrelationEntry entry = new CorrelationEntry("journey", Kind.RESULT, "account", "A-1", "c1", "REJECTED", "c1",
        "c1", 3L, T0, Map.of("eventIds", List.of("e1"), "amountMinor", 5L, "refunded", true), null);

    assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", entry))).isEqualTo(entry);
  }

  private static CorrelationEntry command(String id, String causationId, int second) {
    return new CorrelationEntry("journey", Kind.COMMAND, "account", "A-1", id, "DepositMoney", id, causationId, null,
        T0.plusSeconds(second), Map.of(), "alice");
  }

  private static CorrelationEntry event(String id, String commandId, long version, int second) {
    return new CorrelationEntry("journey", Kind.EVENT, "account", "A-1", id, "MoneyDeposited", commandId, commandId,
        version, T0.plusSeconds(second), Map.of(), null);
  }

  private static CorrelationEntry result(String commandId, int second) {
    return new CorrelationEntry("journey", Kind.RESULT, "account", "A-1", commandId, "ACCEPTED", commandId, commandId,
        null, T0.plusSeconds(second), Map.of(), null);
  }
}
