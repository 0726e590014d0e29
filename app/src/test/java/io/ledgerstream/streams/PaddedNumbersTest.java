package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PaddedNumbersTest {

  @Test
  void writesTheBytesTheFormattedKeysWere() {
    for (long number : List.of(0L, 1L, 9L, 10L, 999L, 1_733_356_800_000L, Long.MAX_VALUE, -1L, Long.MIN_VALUE)) {
      assertThat(PaddedNumbers.of(number)).isEqualTo(String.format("%019d", number));
      assertThat(PaddedNumbers.append(new StringBuilder("k/"), number).toString())
          .isEqualTo("k/" + String.format("%019d", number));
    }
  }

  @Test
  void sortsAsTheNumbersDo() {
    assertThat(PaddedNumbers.of(9)).isLessThan(PaddedNumbers.of(10));
    assertThat(PaddedNumbers.of(1_733_356_799_999L)).isLessThan(PaddedNumbers.of(1_733_356_800_000L));
  }
}
