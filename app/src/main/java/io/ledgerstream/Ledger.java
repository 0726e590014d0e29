package io.ledgerstream;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.transfer.TransferType;
import java.util.ArrayList;
import java.util.List;

/** The aggregate types the ledger runs: the one list every generic part iterates. Register a new type here. */
public final class Ledger {

  public static final List<AggregateType<?, ?, ?>> AGGREGATE_TYPES = List.of(AccountType.TYPE, TransferType.TYPE);

  private Ledger() {
  }

  /** The ledger's types followed by more, e.g. to run a type that is not registered here. */
  public static List<AggregateType<?, ?, ?>> with(AggregateType<?, ?, ?>... more) {
    List<AggregateType<?, ?, ?>> types = new ArrayList<>(AGGREGATE_TYPES);
    types.addAll(List.of(more));
    return List.copyOf(types);
  }
}
