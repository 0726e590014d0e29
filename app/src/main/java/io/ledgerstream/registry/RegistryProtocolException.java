package io.ledgerstream.registry;

/** The registry answered something this client does not understand, or does not support the call. */
public final class RegistryProtocolException extends SchemaRegistryException {

  public RegistryProtocolException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, httpStatus, errorCode, cause);
  }
}
