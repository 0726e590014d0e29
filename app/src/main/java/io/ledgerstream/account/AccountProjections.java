package io.ledgerstream.account;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.streams.projection.ProjectionBuilder;
import io.ledgerstream.streams.projection.ProjectionHook;
import io.ledgerstream.streams.projection.ProjectionStores;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Named;

/** The account's own views: its summary, the accounts of each owner, and the totals per currency. */
public final class AccountProjections implements ProjectionHook {

  /** accountId -> AccountState, the fold of the account's events. */
  public static final String SUMMARY = "account-summary";
  /** accountId + version -> AccountEvent: the account's generic history. */
  public static final String HISTORY = ProjectionStores.history("account");
  /**
   * {@link #ownerKey} -> accountId, in the account's partition beside its summary: an owner's accounts are spread
   * over every instance, which each answer for their own.
   */
  public static final String BY_OWNER = "accounts-by-owner";
  /** currency -> {@link CurrencyTotals} of the accounts in this partition. */
  public static final String TOTALS = "totals";

  @Override
  public void addTo(ProjectionBuilder projections) {
    Serde<AccountState> states = projections.storeSerde(AccountState.class);
    projections.addStore(SUMMARY, states);
    projections.addWriteOnceStore(BY_OWNER, Serdes.String());
    projections.addStore(TOTALS, new CurrencyTotalsSerde());
    projections.<AccountEvent>events(AccountType.TYPE)
        .process(AccountProjector::new, Named.as("account-projector"), SUMMARY, TOTALS, BY_OWNER);
  }

  public static String ownerKey(String owner, String accountId) {
    return ProjectionStores.compositeKey(owner, accountId);
  }
}
