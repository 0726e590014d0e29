package io.ledgerstream.transfer;

import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.Money;

/** The transfer's upcasters: each turns one older version of an event type into the next, from the event alone. */
final class TransferUpcasters {

  private TransferUpcasters() {
  }

  /** TransferRequested v1 -> v2: {@code amountMinor} and {@code currency} become one {@code amount}. */
  static io.ledgerstream.avro.v2.TransferRequested structuredAmount(io.ledgerstream.avro.TransferRequested v1,
                                                                     EventMetadata metadata) {
    return new io.ledgerstream.avro.v2.TransferRequested(v1.getFrom(), v1.getTo(),
        new Money(v1.getAmountMinor(), v1.getCurrency()));
  }
}
