package io.ledgerstream.registry;

/** No schema has that id, or the schema is not registered under the subject (error 40403). */
public final class SchemaNotFoundException extends SchemaRegistryException {

  public SchemaNotFoundException(String message) {
    this(message, 404, SCHEMA_NOT_FOUND);
  }

  public SchemaNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
