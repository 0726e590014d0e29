package io.ledgerstream.client;

import io.ledgerstream.privacy.PersonalData;
import java.util.Locale;
import org.apache.avro.Schema;

/** Converts a loosely typed value (a CLI string, a JSON scalar) to the Avro value a field's schema wants. */
final class FieldValues {

  private FieldValues() {
  }

  static Object convert(String type, Schema.Field field, Object raw) {
    Schema schema = field.schema();
    if (raw == null) {
      if (isNullable(schema)) {
        return null;
      }
      throw new InvalidCommandException(type + " needs field '" + field.name() + "' (" + describe(schema) + ")");
    }
    Schema target = nonNull(schema);
    if (PersonalData.isSealed(field)) {
      if (PersonalData.isSealed(raw)) {
        return raw;
      }
      throw new InvalidCommandException("'" + field.name() + "' is personal data, encrypted before it is written "
          + "anywhere; send it over the HTTP API (POST /accounts/{id}/commands with \"" + field.name()
          + "\": {...}), which encrypts it with the owner's key. send does not hold the master key.");
    }
    try {
      return switch (target.getType()) {
        case STRING -> raw.toString();
        case LONG -> toLong(raw);
        case INT -> Math.toIntExact(toLong(raw));
        case BOOLEAN -> toBoolean(raw);
        default -> throw new InvalidCommandException("field '" + field.name() + "' of type " + target.getType()
            + " cannot be given on the command line");
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidCommandException("field '" + field.name() + "' of " + type + " must be " + describe(schema)
          + ", got '" + raw + "'");
    }
  }

  static String describe(Schema schema) {
    return nonNull(schema).getType().getName() + (isNullable(schema) ? " or null" : "");
  }

  private static long toLong(Object raw) {
    if (raw instanceof Long || raw instanceof Integer || raw instanceof Short) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof Number) {
      throw new NumberFormatException("not an integer");
    }
    return Long.parseLong(raw.toString().trim());
  }

  private static boolean toBoolean(Object raw) {
    if (raw instanceof Boolean b) {
      return b;
    }
    return switch (raw.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new NumberFormatException("not a boolean");
    };
  }

  private static boolean isNullable(Schema schema) {
    return schema.getType() == Schema.Type.UNION
        && schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL);
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).findFirst().orElse(schema);
  }
}
