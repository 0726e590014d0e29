package io.ledgerstream.counter;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.counter.CounterDecider.Command;
import io.ledgerstream.counter.CounterDecider.Counter;
import io.ledgerstream.counter.CounterDecider.Event;
import io.ledgerstream.counter.avro.CounterCommand;
import io.ledgerstream.counter.avro.CounterEvent;
import io.ledgerstream.counter.avro.CounterState;
import io.ledgerstream.counter.avro.Increment;
import io.ledgerstream.counter.avro.Incremented;
import io.ledgerstream.counter.avro.Reset;
import io.ledgerstream.domain.Decider;
import io.ledgerstream.streams.AggregateBinding;
import io.ledgerstream.streams.Snapshot;

/** Maps the counter's Avro records to its domain records and back; a snapshot needs a counter that exists. */
final class CounterBinding
    implements AggregateBinding<Command, Event, Counter, CounterCommand, CounterEvent, CounterState> {

  private final CounterDecider decider = new CounterDecider();

  @Override
  public Decider<Command, Event, Counter> decider() {
    return decider;
  }

  @Override
  public Command command(CounterCommand command) {
    Object payload = command.getPayload();
    if (payload instanceof Increment increment) {
      return new Command.Increment(increment.getBy());
    }
    if (payload instanceof Reset) {
      return new Command.Reset();
    }
    throw new IllegalArgumentException("unknown counter command payload: " + payload);
  }

  @Override
  public CounterCommand command(CommandMetadata metadata, Command command) {
    if (command instanceof Command.Increment increment) {
      return new CounterCommand(metadata, new Increment(increment.by()));
    }
    if (command instanceof Command.Reset) {
      return new CounterCommand(metadata, new Reset());
    }
    throw new IllegalArgumentException("unknown counter command: " + command);
  }

  @Override
  public CounterEvent event(EventMetadata metadata, Event event) {
    if (event instanceof Event.Incremented incremented) {
      return new CounterEvent(metadata, new Incremented(incremented.by()));
    }
    if (event instanceof Event.CounterReset reset) {
      return new CounterEvent(metadata, new io.ledgerstream.counter.avro.CounterReset(reset.from()));
    }
    throw new IllegalArgumentException("unknown counter event: " + event);
  }

  @Override
  public Event event(CounterEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof Incremented incremented) {
      return new Event.Incremented(incremented.getBy());
    }
    if (payload instanceof io.ledgerstream.counter.avro.CounterReset reset) {
      return new Event.CounterReset(reset.getFrom());
    }
    throw new IllegalArgumentException("unknown counter event payload: " + payload);
  }

  @Override
  public CounterState snapshot(String counterId, Snapshot<Counter> snapshot) {
    if (!snapshot.state().exists()) {
      throw new IllegalArgumentException("a counter that never counted has no snapshot");
    }
    return new CounterState(counterId, snapshot.state().value(), snapshot.version());
  }

  @Override
  public Snapshot<Counter> snapshot(CounterState state) {
    return new Snapshot<>(new Counter(true, state.getValue()), state.getVersion(), null, null);
  }
}
