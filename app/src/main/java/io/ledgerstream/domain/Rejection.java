package io.ledgerstream.domain;

import java.util.Objects;

/** Why a command was refused: a stable code for machines and a message for people. */
public record Rejection(RejectionCode code, String message) {
  public Rejection {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
