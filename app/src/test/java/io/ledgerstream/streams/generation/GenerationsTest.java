package io.ledgerstream.streams.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.streams.generation.Generation.State;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GenerationsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);
  private static final Instant T2 = T0.plusSeconds(120);

  @Test
  void generationOneKeepsTheOriginalApplicationId() {
    assertThat(Generation.applicationId(1)).isEqualTo("ledgerstream-projections");
    assertThat(Generation.applicationId(2)).isEqualTo("ledgerstream-projections-g2");
    assertThat(Generations.initial(T0).serving().applicationId()).isEqualTo("ledgerstream-projections");
  }

  @Test
  void internalTopicsBelongToTheGenerationWhoseIdPrefixesThem() {
    assertThat(Generation.ownerOf("ledgerstream-projections-account-summary-changelog")).hasValue(1);
    assertThat(Generation.ownerOf("ledgerstream-projections-g2-account-summary-changelog")).hasValue(2);
    assertThat(Generation.ownerOf("ledgerstream-projections-g12-correlations-repartition")).hasValue(12);
    assertThat(Generation.ownerOf("ledgerstream-commands-account-aggregates-changelog")).isEmpty();
    assertThat(Generation.ownerOf("ledger.account.events")).isEmpty();
  }

  @Test
  void aPromotedGenerationServesAndTheOldOneRetires() {
    Generations building = Generations.initial(T0).startBuilding(T1);
    assertThat(building.building()).hasValueSatisfying(g -> assertThat(g.number()).isEqualTo(2));
    assertThat(building.serving().number()).isEqualTo(1);

    Generations promoted = building.promote(2, T2);
    assertThat(promoted.serving().number()).isEqualTo(2);
    assertThat(promoted.serving().servingSince()).isEqualTo(T2);
    assertThat(promoted.building()).isEmpty();
    assertThat(promoted.get(1).orElseThrow().state()).isEqualTo(State.RETIRED);
    assertThat(promoted.get(1).orElseThrow().endedAt()).isEqualTo(T2);
    assertThat(promoted.get(1).orElseThrow().cleanedUp()).isFalse();
    assertThat(promoted.cleaned(1).get(1).orElseThrow().cleanedUp()).isTrue();
  }

  @Test
  void onlyOneGenerationBuildsAtATime() {
    Generations building = Generations.initial(T0).startBuilding(T1);
    assertThatThrownBy(() -> building.startBuilding(T2)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("generation 2 is already building");
  }

  @Test
  void anAbandonedGenerationsNumberIsNotReused() {
    Generations abandoned = Generations.initial(T0).startBuilding(T1).abandon(2, T2);
    assertThat(abandoned.get(2).orElseThrow().state()).isEqualTo(State.ABANDONED);
    assertThat(abandoned.serving().number()).isEqualTo(1);
    assertThat(abandoned.startBuilding(T2).building().orElseThrow().number()).isEqualTo(3);
  }

  @Test
  void changesThatNoLongerApplyChangeNothing() {
    Generations promoted = Generations.initial(T0).startBuilding(T1).promote(2, T2);
    assertThat(promoted.promote(2, T2.plusSeconds(1))).isEqualTo(promoted);
    assertThat(promoted.abandon(2, T2)).isEqualTo(promoted);
    assertThat(promoted.cleaned(2)).isEqualTo(promoted);
  }

  @Test
  void generationsAreListedNewestFirst() {
    Generations generations = Generations.initial(T0).startBuilding(T1).promote(2, T1).startBuilding(T2);
    assertThat(generations.generations()).extracting(Generation::number).containsExactly(3, 2, 1);
  }

  @Test
  void theRecordSurvivesItsJsonForm() {
    Generations generations = Generations.initial(T0).startBuilding(T1).promote(2, T2).cleaned(1).startBuilding(T2);
    String json = GenerationLog.json(generations);
    assertThat(json).contains("\"state\":\"BUILDING\"").contains("\"startedAt\":\"2026-01-01T10:02:00Z\"");
    assertThat(GenerationLog.parse(json)).isEqualTo(generations);
  }
}
