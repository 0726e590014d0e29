package io.ledgerstream.streams.replay;

import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/** One event of an aggregate's log, reduced to what a diff compares: its version, its type and its payload. */
record RecordedEvent(String aggregateId, long version, Instant occurredAt, SpecificRecord payload) {

  String type() {
    return payload.getSchema().getName();
  }

  /** {@code MoneyDeposited {"amountMinor": 500, ...}}. */
  String describe() {
    return type() + " " + payload;
  }
}
