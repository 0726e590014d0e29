package io.ledgerstream.registry;

/** The schema breaks the subject's compatibility level (error 409). */
public final class IncompatibleSchemaException extends SchemaRegistryException {

  public IncompatibleSchemaException(String message) {
    this(message, 409, INCOMPATIBLE_SCHEMA);
  }

  public IncompatibleSchemaException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
