package io.ledgerstream.streams.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountOpened;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.streams.replay.DiffReport.AggregateDifference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class EventLogDiffTest {

  private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void identicalLogsHaveNoDifference() {
    EventLogDiff diff = new EventLogDiff(history("A-1", 500, 250), history("A-1", 500, 250));
    assertThat(diff.aggregateIds()).containsExactly("A-1");
    assertThat(diff.compare("A-1")).isEmpty();
  }

  @Test
  void anOmittedShadowEventIsTheFirstDifferingVersion() {
    List<RecordedEvent> shadow = new ArrayList<>(history("A-1", 500, 250, 125));
    shadow.remove(2);
    AggregateDifference difference = new EventLogDiff(history("A-1", 500, 250, 125), shadow).compare("A-1")
        .orElseThrow();
    assertThat(difference.firstDifferingVersion()).isEqualTo(3);
    assertThat(difference.productionEvents()).isEqualTo(4);
    assertThat(difference.shadowEvents()).isEqualTo(3);
    assertThat(difference.production()).startsWith("MoneyDeposited").contains("250");
    assertThat(difference.shadow()).startsWith("MoneyDeposited").contains("125");
  }

  @Test
  void aDifferentPayloadIsReportedWithBothEvents() {
    AggregateDifference difference = new EventLogDiff(history("A-1", 500), history("A-1", 501)).compare("A-1")
        .orElseThrow();
    assertThat(difference.firstDifferingVersion()).isEqualTo(2);
    assertThat(difference.production()).contains("500");
    assertThat(difference.shadow()).contains("501");
  }

  @Test
  void anAggregateOnlyOneSideHasDiffersFromItsFirstVersion() {
    EventLogDiff diff = new EventLogDiff(history("A-1", 5), List.of());
    AggregateDifference difference = diff.compare("A-1").orElseThrow();
    assertThat(difference.firstDifferingVersion()).isEqualTo(1);
    assertThat(difference.shadow()).isNull();
    assertThat(new EventLogDiff(List.of(), history("A-2")).compare("A-2").orElseThrow().production()).isNull();
  }

  @Test
  void theAggregateBeganAtItsFirstProductionEvent() {
    EventLogDiff diff = new EventLogDiff(history("A-1", 5), history("A-2", 5));
    assertThat(diff.began("A-1")).hasValue(AT.plusSeconds(1));
    assertThat(diff.began("A-2")).isEmpty();
  }

  /** An opened account and one deposit per amount, versions from 1, one second apart. */
  private static List<RecordedEvent> history(String accountId, long... deposits) {
    List<RecordedEvent> events = new ArrayList<>();
    events.add(event(accountId, 1, new AccountOpened("alice", "EUR", 0L, null)));
    for (long amount : deposits) {
      events.add(event(accountId, events.size() + 1, MoneyDeposited.newBuilder().setAmountMinor(amount).build()));
    }
    return events;
  }

  private static RecordedEvent event(String accountId, long version, SpecificRecord payload) {
    return new RecordedEvent(accountId, version, AT.plusSeconds(version), payload);
  }
}
