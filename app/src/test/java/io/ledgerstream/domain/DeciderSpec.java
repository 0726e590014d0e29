package io.ledgerstream.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Given-events / when-command / then-events assertions for any decider.
 *
 * <pre>{@code DeciderSpec.of(decider).given(opened, deposited).when(withdraw).thenEvents(withdrawn)}</pre>
 */
public final class DeciderSpec<C, E, S> {

  private final Decider<C, E, S> decider;
  private S state;

  private DeciderSpec(Decider<C, E, S> decider) {
    this.decider = decider;
    this.state = decider.initialState();
  }

  public static <C, E, S> DeciderSpec<C, E, S> of(Decider<C, E, S> decider) {
    return new DeciderSpec<>(decider);
  }

  /** Folds these events, with the decider's own {@code evolve}, into the state the command meets. */
  @SafeVarargs
  public final DeciderSpec<C, E, S> given(E... events) {
    state = decider.fold(List.of(events));
    return this;
  }

  public Outcome when(C command) {
    return new Outcome(decider.decide(command, state));
  }

  /** What the decider decided, and the state that leaves behind. */
  public final class Outcome {

    private final Decision<E> decision;

    private Outcome(Decision<E> decision) {
      this.decision = decision;
    }

    @SafeVarargs
    public final Outcome thenEvents(E... expected) {
      assertThat(decision).as("decision").isInstanceOf(Decision.Accepted.class);
      assertThat(((Decision.Accepted<E>) decision).events()).as("events").containsExactly(expected);
      return this;
    }

    public Outcome thenRejected(RejectionCode code) {
      assertThat(decision).as("decision").isInstanceOf(Decision.Rejected.class);
      Rejection rejection = ((Decision.Rejected<E>) decision).rejection();
      assertThat(rejection.code()).as("rejection code of %s", rejection).isEqualTo(code);
      assertThat(rejection.message()).as("rejection message").isNotBlank();
      return this;
    }

    /** The given state evolved by the accepted events; unchanged after a rejection. */
    public Outcome thenState(S expected) {
      S after = state;
      if (decision instanceof Decision.Accepted<E> accepted) {
        for (E event : accepted.events()) {
          after = decider.evolve(after, event);
        }
      }
      assertThat(after).as("state").isEqualTo(expected);
      return this;
    }
  }
}
