package io.ledgerstream.account;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.streams.projection.ProjectionFolds;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each account event, once, to the account's summary and the currency totals, and files the account under its
 * owner when the owner changes (at opening). An event at or below the summary's version was applied already (a
 * replay), so it changes nothing; updating the views here, from the same before/after pair, keeps them in step.
 */
final class AccountProjector implements Processor<String, AccountEvent, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(AccountProjector.class);

  private KeyValueStore<String, AccountState> summaries;
  private KeyValueStore<String, CurrencyTotals> totals;
  private KeyValueStore<String, String> byOwner;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    summaries = context.getStateStore(AccountProjections.SUMMARY);
    totals = context.getStateStore(AccountProjections.TOTALS);
    byOwner = context.getStateStore(AccountProjections.BY_OWNER);
  }

  @Override
  public void process(Record<String, AccountEvent> record) {
    String accountId = record.key();
    AccountEvent event = record.value();
    if (accountId == null || event == null) {
      return;
    }
    AccountState before = summaries.get(accountId);
    long seen = before == null ? 0 : before.getVersion();
    long version = event.getMetadata().getAggregateVersion();
    if (version <= seen) {
      return;
    }
    if (version != seen + 1) {
      log.warn("Account {} jumps from version {} to {}; its projection misses events", accountId, seen, version);
    }
    AccountState after = ProjectionFolds.next(AccountType.BINDING, accountId, before, event);
    CurrencyTotals change = CurrencyTotals.change(before, after, event.getPayload());
    summaries.put(accountId, after);
    CurrencyTotals total = totals.get(change.currency());
    totals.put(change.currency(), (total == null ? CurrencyTotals.zero(change.currency()) : total).plus(change));
    String ownerBefore = before == null ? null : before.getOwner();
    if (!Objects.equals(ownerBefore, after.getOwner())) {
      if (ownerBefore != null) {
        byOwner.delete(AccountProjections.ownerKey(ownerBefore, accountId));
      }
      if (after.getOwner() != null) {
        byOwner.put(AccountProjections.ownerKey(after.getOwner(), accountId), accountId);
      }
    }
  }
}
