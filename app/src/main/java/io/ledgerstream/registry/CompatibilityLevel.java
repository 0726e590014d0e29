package io.ledgerstream.registry;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Confluent's compatibility levels, with the Avro check each one stands for. */
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
    try {
      return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("Invalid compatibility level '" + text + "'. Valid values are "
          + List.of(values()), 422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL);
    }
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
