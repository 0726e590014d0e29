package io.ledgerstream.account;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.domain.account.Account;
import io.ledgerstream.streams.Snapshot;
import io.ledgerstream.streams.projection.LocalProjections;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An account as it was at an earlier version or instant, rebuilt by folding its history with the decider. */
final class AccountAsOf {

  private static final int PAGE = 1000;
  private static final AccountBinding BINDING = AccountType.BINDING;

  private AccountAsOf() {
  }

  /**
   * The state after the last event at or before {@code maxVersion} and {@code until} (either may be null, meaning no
   * bound); empty when the account had no event by then.
   */
  static Optional<AccountState> rebuild(LocalProjections projections, String accountId, Long maxVersion, Instant until,
                                        boolean stale) {
    Account account = BINDING.decider().initialState();
    long version = 0;
    Instant openedAt = null;
    Instant updatedAt = null;
    long from = 1;
    while (true) {
      List<AccountEvent> page = projections.history(AccountType.TYPE.name(), accountId, from, PAGE, stale);
      for (AccountEvent event : page) {
        long eventVersion = event.getMetadata().getAggregateVersion();
        Instant occurredAt = event.getMetadata().getOccurredAt();
        if ((maxVersion != null && eventVersion > maxVersion) || (until != null && occurredAt.isAfter(until))) {
          return state(accountId, account, version, openedAt, updatedAt);
        }
        account = BINDING.decider().evolve(account, BINDING.event(event));
        version = eventVersion;
        openedAt = openedAt == null ? occurredAt : openedAt;
        updatedAt = occurredAt;
      }
      if (page.size() < PAGE) {
        return state(accountId, account, version, openedAt, updatedAt);
      }
      from = version + 1;
    }
  }

  private static Optional<AccountState> state(String accountId, Account account, long version, Instant openedAt,
                                              Instant updatedAt) {
    if (version == 0) {
      return Optional.empty();
    }
    return Optional.of(BINDING.snapshot(accountId, new Snapshot<>(account, version, openedAt, updatedAt)));
  }
}
