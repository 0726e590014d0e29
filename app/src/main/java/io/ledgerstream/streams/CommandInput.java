package io.ledgerstream.streams;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The rules every string a client hands the ledger must keep, whatever path it comes by (HTTP, {@code send}, a plain
 * Kafka producer): the aggregate id and every string of the command envelope, its metadata and payload alike, found
 * by walking the Avro record, so a new command type is covered without naming its fields.
 *
 * <p>No control character (NUL, which the stores once used to join keys, included; also newlines, which forge log
 * lines) and a bounded length: ids and metadata at most {@value #MAX_ID_LENGTH} characters, other text at most
 * {@value #MAX_TEXT_LENGTH}.
 */
public final class CommandInput {

  public static final int MAX_ID_LENGTH = 200;
  public static final int MAX_TEXT_LENGTH = 1000;
  private static final String METADATA_FIELD = "metadata";

  private CommandInput() {
  }

  /** What is wrong with a command, in words a client can act on; empty when nothing is. */
  public static Optional<String> problem(String aggregateId, IndexedRecord envelope) {
    return idProblem("the aggregate id", aggregateId).or(() -> record("", envelope, MAX_TEXT_LENGTH));
  }

  /** What is wrong with one id (a command id, an {@code Idempotency-Key}); empty when nothing is. */
  public static Optional<String> idProblem(String name, String id) {
    if (id == null || id.isBlank()) {
      return Optional.of(name + " is missing or blank");
    }
    return text(name, id, MAX_ID_LENGTH);
  }

  private static Optional<String> record(String path, IndexedRecord record, int limit) {
    for (Schema.Field field : record.getSchema().getFields()) {
      String name = path + field.name();
      int fieldLimit = field.name().equals(METADATA_FIELD) && path.isEmpty() ? MAX_ID_LENGTH : limit;
      Optional<String> found = value(name, record.get(field.pos()), fieldLimit);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> value(String name, Object value, int limit) {
    if (value instanceof CharSequence text) {
      return text("'" + name + "'", text.toString(), limit);
    }
    if (value instanceof IndexedRecord nested) {
      // a union's record branch (the payload) is named by its type, so the message says which command it was
      String prefix = name.equals("payload") ? "" : name + ".";
      return record(prefix, nested, limit);
    }
    if (value instanceof Collection<?> items) {
      for (Object item : items) {
        Optional<String> found = value(name + "[]", item, limit);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    if (value instanceof Map<?, ?> entries) {
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        Optional<String> found = value(name + " key", entry.getKey(), MAX_ID_LENGTH)
            .or(() -> value(name + "." + entry.getKey(), entry.getValue(), limit));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> text(String name, String text, int limit) {
    if (text == null) {
      return Optional.empty();
    }
    if (text.length() > limit) {
      return Optional.of(name + " is " + text.length() + " characters long; at most " + limit + " are allowed");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        return Optional.of(name + " contains the control character U+" + String.format("%04X", (int) c)
            + " at position " + i + "; control characters are not allowed");
      }
    }
    return Optional.empty();
  }
}
