package io.ledgerstream.registry;

/**
 * The registry could not be reached, timed out or answered with a server error, after retries;
 * unlike the other failures this one says nothing about the request and may pass.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, NONE, NONE, cause);
  }

  public RegistryUnavailableException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, httpStatus, errorCode, cause);
  }
}
