package io.ledgerstream.account;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.streams.projection.ProjectionFolds;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each account event, once, to the account's summary and the currency totals, and forwards the new summary
 * keyed by owner. An event at or below the summary's version was applied already (a replay), so it changes nothing;
 * updating both views here, from the same before/after pair, keeps them in step.
 */
final class AccountProjector implements Processor<String, AccountEvent, String, AccountState> {

  private static final Logger log = LoggerFactory.getLogger(AccountProjector.class);

  private ProcessorContext<String, AccountState> context;
  private KeyValueStore<String, AccountState> summaries;
  private KeyValueStore<String, CurrencyTotals> totals;

  @Override
  public void init(ProcessorContext<String, AccountState> context) {
    this.context = context;
    summaries = context.getStateStore(AccountProjections.SUMMARY);
    totals = context.getStateStore(AccountProjections.TOTALS);
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
    context.forward(record.withKey(after.getOwner()).withValue(after));
  }
}
