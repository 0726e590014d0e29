package io.ledgerstream.registry.dev;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/** Confluent's compatibility levels, checked with Avro's reader/writer rules. */
enum DevCompatibility {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  DevCompatibility(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** The level named case-insensitively, as Confluent's {@code CompatibilityLevel.forName}; null if none. */
  static DevCompatibility forName(String name) {
    if (name == null) {
      return null;
    }
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Problems that forbid {@code candidate} after {@code previous} (version to schema); empty when
   * compatible. Transitive levels check every version, newest first; the others only the latest.
   */
  List<String> check(Schema candidate, NavigableMap<Integer, Schema> previous) {
    if (this == NONE || previous.isEmpty()) {
      return List.of();
    }
    var against = transitive ? previous.descendingMap().entrySet() : List.of(previous.lastEntry());
    for (Map.Entry<Integer, Schema> old : against) {
      List<String> problems = new ArrayList<>();
      if (backward) {
        problems.addAll(incompatibilities(candidate, old.getValue()));
      }
      if (forward) {
        problems.addAll(incompatibilities(old.getValue(), candidate));
      }
      if (!problems.isEmpty()) {
        problems.add("{oldSchemaVersion: " + old.getKey() + "}");
        problems.add("{oldSchema: '" + old.getValue() + "'}");
        problems.add("{compatibility: '" + name() + "'}");
        return problems;
      }
    }
    return List.of();
  }

  private static List<String> incompatibilities(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult()
        .getIncompatibilities().stream().map(Incompatibility::toString).toList();
  }
}
