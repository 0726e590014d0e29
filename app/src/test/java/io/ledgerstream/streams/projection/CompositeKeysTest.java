package io.ledgerstream.streams.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CompositeKeysTest {

  @Test
  void partsThatHoldTheSeparatorCannotCollideWithOtherParts() {
    assertThat(ProjectionStores.compositeKey("alice\u0000bob", "A-1"))
        .isNotEqualTo(ProjectionStores.compositeKey("alice", "bob\u0000A-1"));
    assertThat(ProjectionStores.compositeKey("a\u0001\u0001", "b"))
        .isNotEqualTo(ProjectionStores.compositeKey("a\u0000", "b"));
    assertThat(ProjectionStores.historyKey("A\u00000000000000000000001", 1))
        .isNotEqualTo(ProjectionStores.historyKey("A", 1));
  }

  @Test
  void aCraftedIdDoesNotReachIntoAnotherIdsPrefix() {
    String prefix = ProjectionStores.prefix("alice");
    assertThat(ProjectionStores.compositeKey("alice", "A-1")).startsWith(prefix);
    assertThat(ProjectionStores.compositeKey("alice\u0000mallory", "A-2")).doesNotStartWith(prefix);
    assertThat(ProjectionStores.historyKey("alice\u0000", 3)).doesNotStartWith(prefix);
  }

  @Test
  void ordinaryIdsAreStoredAsTheyWereBeforeTheEscaping() {
    assertThat(ProjectionStores.compositeKey("alice", "A-1")).isEqualTo("alice\u0000A-1");
    assertThat(ProjectionStores.historyKey("A-1", 42)).isEqualTo("A-1\u00000000000000000000042");
  }

  @Test
  void escapingKeepsTheOrderOfTheParts() {
    List<String> parts = List.of("", "\u0000", "\u0000\u0000", "\u0001", "\u0002", "a", "a\u0000", "a\u0001", "ab");
    List<String> escaped = parts.stream().map(ProjectionStores::part).toList();
    assertThat(escaped).isSorted().doesNotHaveDuplicates();
    assertThat(Stream.of("alice", "alice\u0000", "alicf").map(ProjectionStores::part).toList()).isSorted();
    escaped.forEach(part -> assertThat(part).doesNotContain("\u0000"));
  }
}
