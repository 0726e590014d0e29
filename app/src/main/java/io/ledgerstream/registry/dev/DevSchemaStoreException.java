package io.ledgerstream.registry.dev;

/** A {@link DevSchemaStore} could not read or write its records. */
public class DevSchemaStoreException extends RuntimeException {

  public DevSchemaStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
