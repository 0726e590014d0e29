package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.domain.Decider;
import org.apache.avro.specific.SpecificRecord;

/**
 * Everything the generic aggregate processor needs to know about one aggregate type: its decider and the
 * mapping between its Avro records and its domain records, so Avro never reaches the domain.
 *
 * @param <C> domain commands
 * @param <E> domain events
 * @param <S> domain state
 * @param <AC> Avro command envelope
 * @param <AE> Avro event envelope
 * @param <AS> Avro state snapshot
 */
public interface AggregateBinding<C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> {

  /** Lower-case name used in results, store names and metadata: "account", "transfer". */
  String type();

  Decider<C, E, S> decider();

  CommandMetadata metadata(AC command);

  /** The domain command in the envelope; throws {@link IllegalArgumentException} for a payload it does not know. */
  C command(AC command);

  AE event(EventMetadata metadata, E event);

  E event(AE event);

  AS snapshot(String aggregateId, Snapshot<S> snapshot);

  Snapshot<S> snapshot(AS snapshot);
}
