package io.ledgerstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ByteSizeTest {

  private final ByteSize size = new ByteSize();

  @Test
  void readsBytesAndPowersOf1024() {
    assertThat(size.convert("1048576")).isEqualTo(1_048_576L);
    assertThat(size.convert("64k")).isEqualTo(64L * 1024);
    assertThat(size.convert("256MiB")).isEqualTo(256L * 1024 * 1024);
    assertThat(size.convert("512M")).isEqualTo(512L * 1024 * 1024);
    assertThat(size.convert("1 GiB")).isEqualTo(1L << 30);
    assertThat(size.convert("2gb")).isEqualTo(2L << 30);
  }

  @Test
  void refusesWhatIsNotAPositiveSize() {
    for (String bad : new String[] {"", "abc", "0", "-1MiB", "1TiB", "99999999999999999999"}) {
      assertThatThrownBy(() -> size.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class);
    }
  }
}
