package io.ledgerstream.domain;

import java.util.List;
import java.util.Objects;

/** What a decider decided for one command: the events to record, or why it refused. */
public sealed interface Decision<E> {

  /** The command is accepted; its events are recorded in order (possibly none). */
  record Accepted<E>(List<E> events) implements Decision<E> {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  /** The command is refused; nothing is recorded. */
  record Rejected<E>(Rejection rejection) implements Decision<E> {
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
    }
  }

  @SafeVarargs
  static <E> Decision<E> accept(E... events) {
    return new Accepted<>(List.of(events));
  }

  static <E> Decision<E> reject(RejectionCode code, String message) {
    return new Rejected<>(new Rejection(code, message));
  }
}
