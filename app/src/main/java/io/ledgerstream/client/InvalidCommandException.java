package io.ledgerstream.client;

/** A command that cannot even be built: unknown type, unknown field, missing or malformed value. */
public final class InvalidCommandException extends IllegalArgumentException {

  public InvalidCommandException(String message) {
    super(message);
  }
}
