package io.ledgerstream.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Confluent's compatibility levels, with the Avro check each one stands for. The names are the REST API's and are
 * stored by the development registry: never rename one.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean newReadsOld;
  private final boolean oldReadsNew;
  private final boolean transitive;

  CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
    this.newReadsOld = newReadsOld;
    this.oldReadsNew = oldReadsNew;
    this.transitive = transitive;
  }

  /** Parses a level as the registry spells it, in any case. */
  public static CompatibilityLevel parse(String text) {
    return forName(text).orElseThrow(() -> new InvalidRequestException("Invalid compatibility level '" + text + "'. Valid values are "
          + List.of(values()), 422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL));
  }

  /** The level named case-insensitively, as Confluent's {@code CompatibilityLevel.forName}; empty if none. */
  public static Optional<CompatibilityLevel> forName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Every problem that forbids the candidate after the previous versions (version to schema), in the words of
   * Confluent's verbose answer; empty when compatible. Transitive levels check every version, newest first.
   */
  public List<String> problems(Schema candidate, NavigableMap<Integer, Schema> previous) {
    if (this == NONE || previous.isEmpty()) {
      return List.of();
    }
    var against = transitive ? previous.descendingMap().entrySet() : List.of(previous.lastEntry());
    for (Map.Entry<Integer, Schema> old : against) {
      List<String> problems = new ArrayList<>();
      if (newReadsOld) {
        problems.addAll(incompatibilities(candidate, old.getValue()));
      }
      if (oldReadsNew) {
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
        .getIncompatibilities().stream().map(SchemaCompatibility.Incompatibility::toString).toList();
  }

  /**
   * Why the candidate may not follow the existing versions (oldest first), or empty if it may.
   * Non-transitive levels check against the newest version only.
   */
  public Optional<String> incompatibility(Schema candidate, List<Schema> existing) {
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    List<Schema> against = transitive ? existing : List.of(existing.get(existing.size() - 1));
    for (Schema old : against) {
      if (newReadsOld) {
        Optional<String> problem = problem(candidate, old, "the new schema cannot read data written with an earlier one");
        if (problem.isPresent()) {
          return problem;
        }
      }
      if (oldReadsNew) {
        Optional<String> problem = problem(old, candidate, "an earlier schema cannot read data written with the new one");
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> problem(Schema reader, Schema writer, String summary) {
    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return Optional.empty();
    }
    return Optional.of(summary + ": " + describe(result));
  }

  /** Lists a reader/writer check's incompatibilities briefly, without the two schemas. */
  static String describe(SchemaPairCompatibility result) {
    return result.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
        .collect(Collectors.joining("; "));
  }
}
