package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.streams.AggregateBinding;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.Snapshot;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The views of an aggregate, computed from its events with the aggregate's own decider, so a projection can never
 * disagree with the command side about what an event means.
 */
public final class ProjectionFolds {

  private ProjectionFolds() {
  }

  /** The aggregate's snapshot after {@code event}; {@code before} is null for an aggregate not seen yet. */
  public static <C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> AS next(
      AggregateBinding<C, E, S, AC, AE, AS> binding, String id, AS before, AE event) {
    Snapshot<S> snapshot = before == null
        ? Snapshot.initial(binding.decider().initialState())
        : binding.snapshot(before);
    S state = binding.decider().evolve(snapshot.state(), binding.event(event));
    EventMetadata metadata = Envelope.eventMetadata(event);
    Instant at = metadata.getOccurredAt();
    return binding.snapshot(id,
        new Snapshot<>(state, metadata.getAggregateVersion(), snapshot.exists() ? snapshot.createdAt() : at, at));
  }

  /** The aggregate's snapshot after all of {@code events}, oldest first (its history up to some version, say). */
  public static <C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> AS fold(
      AggregateBinding<C, E, S, AC, AE, AS> binding, String id, List<AE> events) {
    AS state = null;
    for (AE event : events) {
      state = next(binding, id, state, event);
    }
    return state;
  }
}
