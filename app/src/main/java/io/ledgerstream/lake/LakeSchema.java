package io.ledgerstream.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** The flat record schema every lake file is written with ({@code LakeEvent.avsc}): one row per event. */
public final class LakeSchema {

  public static final Schema SCHEMA = load();

  private LakeSchema() {
  }

  private static Schema load() {
    try (InputStream in = LakeSchema.class.getResourceAsStream("LakeEvent.avsc")) {
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read LakeEvent.avsc", e);
    }
  }
}
