package io.ledgerstream.streams.projection;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.streams.AccountBinding;
import io.ledgerstream.streams.AggregateBinding;
import io.ledgerstream.streams.Snapshot;
import io.ledgerstream.streams.TransferBinding;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The views of an aggregate, computed from its events with the aggregate's own decider, so a projection can never
 * disagree with the command side about what an event means.
 */
public final class ProjectionFolds {

  private static final AccountBinding ACCOUNTS = new AccountBinding();
  private static final TransferBinding TRANSFERS = new TransferBinding();

  private ProjectionFolds() {
  }

  /** The account after {@code event}; {@code before} is null for an account not seen yet. */
  public static AccountState account(String accountId, AccountState before, AccountEvent event) {
    return next(ACCOUNTS, accountId, before, event.getMetadata(), event);
  }

  /** The account after all of {@code events}, oldest first (for example its history up to some version). */
  public static AccountState account(String accountId, List<AccountEvent> events) {
    AccountState state = null;
    for (AccountEvent event : events) {
      state = account(accountId, state, event);
    }
    return state;
  }

  /** The transfer after {@code event}; {@code before} is null for a transfer not seen yet. */
  public static TransferState transfer(String transferId, TransferState before, TransferEvent event) {
    return next(TRANSFERS, transferId, before, event.getMetadata(), event);
  }

  private static <C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> AS next(
      AggregateBinding<C, E, S, AC, AE, AS> binding, String id, AS before, EventMetadata metadata, AE event) {
    Snapshot<S> snapshot = before == null
        ? Snapshot.initial(binding.decider().initialState())
        : binding.snapshot(before);
    S state = binding.decider().evolve(snapshot.state(), binding.event(event));
    Instant at = metadata.getOccurredAt();
    return binding.snapshot(id,
        new Snapshot<>(state, metadata.getAggregateVersion(), snapshot.exists() ? snapshot.createdAt() : at, at));
  }
}
