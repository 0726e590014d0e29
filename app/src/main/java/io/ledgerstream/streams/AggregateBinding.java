package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.domain.Decider;
import org.apache.avro.specific.SpecificRecord;

/**
 * One aggregate type's decider and the mapping between its Avro records and its domain records, both ways, so Avro
 * never reaches the domain.
 *
 * <p>A snapshot describes an aggregate that exists: the never-created state (the decider's initial state, before
 * the first event) has none, and mapping it to a snapshot throws {@link IllegalArgumentException}.
 *
 * @param <C> domain commands
 * @param <E> domain events
 * @param <S> domain state
 * @param <AC> Avro command envelope
 * @param <AE> Avro event envelope
 * @param <AS> Avro state snapshot
 */
public interface AggregateBinding<C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> {

  Decider<C, E, S> decider();

  default CommandMetadata metadata(AC command) {
    return Envelope.commandMetadata(command);
  }

  /** The domain command in the envelope; throws {@link IllegalArgumentException} for a payload it does not know. */
  C command(AC command);

  /** The envelope a domain command travels in. */
  AC command(CommandMetadata metadata, C command);

  AE event(EventMetadata metadata, E event);

  /** The domain event in the envelope; throws {@link IllegalArgumentException} for a payload it does not know. */
  E event(AE event);

  AS snapshot(String aggregateId, Snapshot<S> snapshot);

  Snapshot<S> snapshot(AS snapshot);
}
