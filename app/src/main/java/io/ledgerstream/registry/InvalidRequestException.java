package io.ledgerstream.registry;

/**
 * The registry refused the request as malformed or unauthorised: an invalid version (42202) or
 * compatibility level (42203), a 401/403, or a 404 that is not a registry error (wrong base URL).
 */
public final class InvalidRequestException extends SchemaRegistryException {

  public InvalidRequestException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
