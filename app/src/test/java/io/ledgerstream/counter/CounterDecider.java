package io.ledgerstream.counter;

import static io.ledgerstream.domain.Decision.accept;
import static io.ledgerstream.domain.Decision.reject;

import io.ledgerstream.domain.Decider;
import io.ledgerstream.domain.Decision;
import io.ledgerstream.domain.RejectionCode;

/**
 * A counter, the smallest aggregate that shows every part of the engine: increments by a positive amount, and a
 * reset of a counter that exists. The third aggregate type the tests register, beside accounts and transfers.
 */
final class CounterDecider implements Decider<CounterDecider.Command, CounterDecider.Event, CounterDecider.Counter> {

  /** Commands a counter accepts or rejects. */
  sealed interface Command {

    record Increment(long by) implements Command {}

    record Reset() implements Command {}
  }

  /** Facts recorded about a counter. */
  sealed interface Event {

    record Incremented(long by) implements Event {}

    record CounterReset(long from) implements Event {}
  }

  /** A counter as its events left it; {@link #NONE} before its first event. */
  record Counter(boolean exists, long value) {

    static final Counter NONE = new Counter(false, 0);
  }

  @Override
  public Counter initialState() {
    return Counter.NONE;
  }

  @Override
  public Decision<Event> decide(Command command, Counter counter) {
    if (command instanceof Command.Increment increment) {
      return increment.by() > 0
          ? accept(new Event.Incremented(increment.by()))
          : reject(RejectionCode.INVALID_AMOUNT, "a counter goes up by a positive amount, not " + increment.by());
    }
    if (command instanceof Command.Reset) {
      return counter.exists()
          ? accept(new Event.CounterReset(counter.value()))
          : reject(RejectionCode.INVALID_COMMAND, "there is no counter to reset");
    }
    throw new IllegalArgumentException("unknown counter command: " + command.getClass().getName());
  }

  @Override
  public Counter evolve(Counter counter, Event event) {
    if (event instanceof Event.Incremented incremented) {
      return new Counter(true, counter.value() + incremented.by());
    }
    if (event instanceof Event.CounterReset) {
      return new Counter(true, 0);
    }
    throw new IllegalArgumentException("unknown counter event: " + event.getClass().getName());
  }
}
