package io.ledgerstream.streams.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectionStoresTest {

  @Test
  void historyKeysAreTheBytesTheFormattedKeysWere() {
    for (long version : List.of(0L, 1L, 9L, 10L, 999L, 123_456_789L, Long.MAX_VALUE, -1L, Long.MIN_VALUE)) {
      assertThat(ProjectionStores.historyKey("acc-1", version))
          .isEqualTo("acc-1\u0000" + String.format("%019d", version));
    }
  }

  @Test
  void aHistoryKeyGivesBackItsVersion() {
    for (long version : List.of(0L, 1L, 10L, 123_456_789L, Long.MAX_VALUE)) {
      assertThat(ProjectionStores.historyVersion(ProjectionStores.historyKey("acc\u00001", version))).isEqualTo(version);
    }
  }

  @Test
  void historyKeysSortByVersion() {
    assertThat(ProjectionStores.historyKey("a", 9)).isLessThan(ProjectionStores.historyKey("a", 10));
    assertThat(ProjectionStores.historyKey("a", 99_999)).isLessThan(ProjectionStores.historyKey("a", Long.MAX_VALUE));
  }
}
