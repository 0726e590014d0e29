package io.ledgerstream.domain;

import java.util.List;

/**
 * An aggregate's behaviour as three pure functions: the state before any event, the decision a command
 * leads to in a state, and the state an event leads to.
 *
 * @param <C> commands
 * @param <E> events
 * @param <S> state
 */
public interface Decider<C, E, S> {

  S initialState();

  Decision<E> decide(C command, S state);

  S evolve(S state, E event);

  /** Folds events into the state they lead to, from the initial state. */
  default S fold(List<? extends E> events) {
    S state = initialState();
    for (E event : events) {
      state = evolve(state, event);
    }
    return state;
  }
}
