package io.ledgerstream.streams;

import io.ledgerstream.avro.EventMetadata;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns an event payload written in one version of its event type into the next version's shape: a pure function of
 * the old payload and its metadata, with no lookups, so that every reader of the log turns the same bytes into the
 * same event.
 *
 * @param <O> the older version's payload record
 * @param <N> the next version's payload record
 */
@FunctionalInterface
public interface Upcaster<O extends SpecificRecord, N extends SpecificRecord> {

  N upcast(O event, EventMetadata metadata);
}
