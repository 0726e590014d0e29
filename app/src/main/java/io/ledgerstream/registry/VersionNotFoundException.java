package io.ledgerstream.registry;

/** The subject has no such version (error 40402). */
public final class VersionNotFoundException extends SchemaRegistryException {

  public VersionNotFoundException(String message) {
    this(message, 404, VERSION_NOT_FOUND);
  }

  public VersionNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
