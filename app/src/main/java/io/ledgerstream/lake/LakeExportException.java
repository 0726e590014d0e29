package io.ledgerstream.lake;

/** The export cannot go on: an event that does not decode, or a lake directory it cannot write. */
public final class LakeExportException extends RuntimeException {

  public LakeExportException(String message, Throwable cause) {
    super(message, cause);
  }

  public LakeExportException(String message) {
    super(message);
  }
}
