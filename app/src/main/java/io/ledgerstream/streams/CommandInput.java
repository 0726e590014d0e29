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
 * <p>No control character (NUL, the separator of composite store keys, included; also newlines, which forge log
 * lines) and a bounded length: ids, codes and owners at most {@value #MAX_ID_LENGTH} characters, the fields a type
 * registers as free text ({@link AggregateType.Builder#freeText}) at most {@value #MAX_TEXT_LENGTH}.
 */
public final class CommandInput {

  public static final int MAX_ID_LENGTH = 200;
  public static final int MAX_TEXT_LENGTH = 16 * 1024;

  private CommandInput() {
  }

  /** What is wrong with a command of this type, in words a client can act on; empty when nothing is. */
  public static Optional<String> problem(AggregateType<?, ?, ?> type, String aggregateId, IndexedRecord envelope) {
    return idProblem("the aggregate id", aggregateId).or(() -> record(type, "", envelope));
  }

  /** What is wrong with one id (a command id, an {@code Idempotency-Key}); empty when nothing is. */
  public static Optional<String> idProblem(String name, String id) {
    if (id == null || id.isBlank()) {
      return Optional.of(name + " is missing or blank");
    }
    return text(name, id, MAX_ID_LENGTH);
  }

  private static Optional<String> record(AggregateType<?, ?, ?> type, String path, IndexedRecord record) {
    for (Schema.Field field : record.getSchema().getFields()) {
      int limit = type.isFreeText(field.name()) ? MAX_TEXT_LENGTH : MAX_ID_LENGTH;
      Optional<String> found = value(type, path + field.name(), record.get(field.pos()), limit);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> value(AggregateType<?, ?, ?> type, String name, Object value, int limit) {
    if (value instanceof CharSequence text) {
      return text("'" + name + "'", text.toString(), limit);
    }
    if (value instanceof IndexedRecord nested) {
      // the payload is named by its own fields, so the message names the field a client wrote
      return record(type, name.equals("payload") ? "" : name + ".", nested);
    }
    if (value instanceof Collection<?> items) {
      for (Object item : items) {
        Optional<String> found = value(type, name + "[]", item, limit);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    if (value instanceof Map<?, ?> entries) {
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        Optional<String> found = value(type, name + " key", entry.getKey(), MAX_ID_LENGTH)
            .or(() -> value(type, name + "." + entry.getKey(), entry.getValue(), limit));
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
