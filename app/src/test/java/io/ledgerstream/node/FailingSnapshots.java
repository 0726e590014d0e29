package io.ledgerstream.node;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.domain.Decider;
import io.ledgerstream.streams.AggregateBinding;
import io.ledgerstream.streams.Snapshot;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.errors.ProcessorStateException;

/**
 * A binding whose snapshot mapping fails the next {@code n} times it is armed for, as a state store that fails once
 * would: the processor has forwarded the command's events by then, and not yet its snapshot, memory or result.
 */
final class FailingSnapshots<C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord>
    implements AggregateBinding<C, E, S, AC, AE, AS> {

  private final AggregateBinding<C, E, S, AC, AE, AS> binding;
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  FailingSnapshots(AggregateBinding<C, E, S, AC, AE, AS> binding) {
    this.binding = binding;
  }

  /** Makes the next {@code times} snapshots fail. */
  void failNext(int times) {
    failuresLeft.set(times);
  }

  /** How many snapshots failed so far. */
  int failed() {
    return failed.get();
  }

  @Override
  public AS snapshot(String aggregateId, Snapshot<S> snapshot) {
    if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      failed.incrementAndGet();
      throw new ProcessorStateException("injected: the store could not take the snapshot of " + aggregateId);
    }
    return binding.snapshot(aggregateId, snapshot);
  }

  @Override
  public Decider<C, E, S> decider() {
    return binding.decider();
  }

  @Override
  public CommandMetadata metadata(AC command) {
    return binding.metadata(command);
  }

  @Override
  public C command(AC command) {
    return binding.command(command);
  }

  @Override
  public AC command(CommandMetadata metadata, C command) {
    return binding.command(metadata, command);
  }

  @Override
  public AE event(EventMetadata metadata, E event) {
    return binding.event(metadata, event);
  }

  @Override
  public E event(AE event) {
    return binding.event(event);
  }

  @Override
  public Snapshot<S> snapshot(AS snapshot) {
    return binding.snapshot(snapshot);
  }
}
