package io.ledgerstream.registry;

/** The registry or this client could not parse the schema as Avro (error 42201). */
public final class InvalidSchemaException extends SchemaRegistryException {

  public InvalidSchemaException(String message) {
    this(message, 422, INVALID_SCHEMA);
  }

  public InvalidSchemaException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
