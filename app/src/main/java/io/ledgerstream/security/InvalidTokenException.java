package io.ledgerstream.security;

/** A bearer token that is not accepted; the message says why, without echoing the token. */
public final class InvalidTokenException extends Exception {

  public InvalidTokenException(String message) {
    super(message, null, false, false);
  }
}
