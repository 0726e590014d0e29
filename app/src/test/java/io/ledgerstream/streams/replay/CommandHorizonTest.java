package io.ledgerstream.streams.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.replay.CommandHorizon.PartitionStart;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandHorizonTest {

  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant FIRST_EVENT = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<PartitionStart> EVENTS = List.of(new PartitionStart(0, FIRST_EVENT.plusSeconds(5)),
      new PartitionStart(0, FIRST_EVENT), new PartitionStart(0, null));

  @Test
  void commandsThatWereNeverDeletedReachTheFirstEvent() {
    CommandHorizon horizon = CommandHorizon.of(List.of(new PartitionStart(0, FIRST_EVENT),
        new PartitionStart(0, FIRST_EVENT.plusSeconds(3600)), new PartitionStart(0, null)), EVENTS, NOW);
    assertThat(horizon.commandsFrom()).isEmpty();
    assertThat(horizon.firstEventAt()).hasValue(FIRST_EVENT);
    assertThat(horizon.cutsHistory()).isFalse();
    assertThat(horizon.replayable(FIRST_EVENT.minusSeconds(1))).isTrue();
  }

  @Test
  void deletedCommandsStartTheHistoryAtTheLatestFirstCommandOfTheirPartitions() {
    Instant early = Instant.parse("2026-02-20T00:00:00Z");
    Instant late = Instant.parse("2026-02-21T00:00:00Z");
    CommandHorizon horizon = CommandHorizon.of(List.of(new PartitionStart(12, early), new PartitionStart(40, late),
        new PartitionStart(0, FIRST_EVENT)), EVENTS, NOW);
    assertThat(horizon.commandsFrom()).hasValue(late);
    assertThat(horizon.cutsHistory()).isTrue();
    assertThat(horizon.replayable(late)).isTrue();
    assertThat(horizon.replayable(early)).isFalse();
    assertThat(horizon.note()).contains("start at " + late).contains("first event is from " + FIRST_EVENT)
        .contains("7 days");
  }

  @Test
  void aPartitionWhoseCommandsAllExpiredStartsAtTheRetention() {
    CommandHorizon horizon = CommandHorizon.of(List.of(new PartitionStart(7, null)), EVENTS, NOW);
    assertThat(horizon.commandsFrom()).hasValue(NOW.minus(Topics.COMMAND_RETENTION));
  }
}
