package io.ledgerstream.registry;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/** Parses schema strings that come from a registry. */
final class AvroSchemas {

  private AvroSchemas() {
  }

  static Schema parse(String text, String origin) {
    if (text == null || text.isBlank()) {
      throw new InvalidSchemaException("No schema in the answer of " + origin);
    }
    try {
      // a fresh parser each time: a parser remembers the names it has seen and rejects them twice
      return new Schema.Parser().parse(text);
    } catch (AvroRuntimeException e) {
      throw new InvalidSchemaException("Invalid Avro schema from " + origin + ": " + e.getMessage());
    }
  }
}
