package io.ledgerstream.counter;

import io.ledgerstream.counter.avro.CounterCommand;
import io.ledgerstream.counter.avro.CounterEvent;
import io.ledgerstream.counter.avro.CounterState;
import io.ledgerstream.streams.AggregateType;

/**
 * The counter registered as an aggregate type: all it takes to run a new type, besides its decider, its binding and
 * its schemas. Topics {@code ledger.counter.*}, routes {@code /counters/{id}/...}, events tagged {@code c}.
 */
public final class CounterType {

  public static final AggregateType<CounterCommand, CounterEvent, CounterState> TYPE = AggregateType
      .builder("counter", CounterCommand.class, CounterEvent.class, CounterState.class, new CounterBinding())
      .plural("counters")
      .tag("c")
      .build();

  private CounterType() {
  }
}
