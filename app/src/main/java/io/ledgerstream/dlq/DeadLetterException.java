package io.ledgerstream.dlq;

/** Why a dead-letter operation was refused; callers turn the reason into an exit code or an HTTP status. */
public final class DeadLetterException extends RuntimeException {

  /** What went wrong, from the caller's point of view. */
  public enum Reason {
    /** The request itself is wrong: a position that is not {@code <partition>@<offset>}, an empty list. */
    MALFORMED,
    /** No committed dead letter is at that position (never was, expired, or an aborted write). */
    NOT_FOUND,
    /** The letter was re-driven before; a letter is re-driven at most once. */
    ALREADY_REDRIVEN,
    /** The letter came from a topic re-driven records must not go to, or names no topic at all. */
    NOT_REDRIVABLE,
    /** Other re-drives kept fencing this one off; nothing was re-driven, and trying again is safe. */
    CONFLICT,
    /** Kafka did not answer in time. */
    UNAVAILABLE
  }

  private final Reason reason;

  public DeadLetterException(Reason reason, String message) {
    this(reason, message, null);
  }

  public DeadLetterException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
