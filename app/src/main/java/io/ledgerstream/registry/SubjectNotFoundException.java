package io.ledgerstream.registry;

/** The subject has no registered schema (error 40401). */
public final class SubjectNotFoundException extends SchemaRegistryException {

  public SubjectNotFoundException(String message) {
    this(message, 404, SUBJECT_NOT_FOUND);
  }

  public SubjectNotFoundException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
