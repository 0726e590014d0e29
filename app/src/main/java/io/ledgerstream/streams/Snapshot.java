package io.ledgerstream.streams;

import java.time.Instant;

/** An aggregate's state with the bookkeeping the processor keeps around it. */
public record Snapshot<S>(S state, long version, Instant createdAt, Instant updatedAt) {

  public static <S> Snapshot<S> initial(S state) {
    return new Snapshot<>(state, 0, null, null);
  }

  public boolean exists() {
    return version > 0;
  }
}
