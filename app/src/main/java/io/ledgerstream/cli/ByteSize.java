package io.ledgerstream.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a size such as {@code 256MiB}, {@code 1GiB}, {@code 512M} or {@code 1048576}; K, M and G are powers of 1024. */
final class ByteSize implements ITypeConverter<Long> {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]?)(I?B)?");

  @Override
  public Long convert(String value) {
    Matcher matcher = SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new TypeConversionException("'" + value + "' is not a size: use bytes or a number with KiB, MiB or GiB, "
          + "e.g. 256MiB");
    }
    int shift = switch (matcher.group(2)) {
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      default -> 0;
    };
    long number;
    try {
      number = Long.parseLong(matcher.group(1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is too large");
    }
    if (number <= 0 || number > Long.MAX_VALUE >> shift) {
      throw new TypeConversionException("'" + value + "' must be positive and below 8 EiB");
    }
    return number << shift;
  }
}
