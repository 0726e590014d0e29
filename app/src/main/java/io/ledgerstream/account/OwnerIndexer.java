package io.ledgerstream.account;

import io.ledgerstream.avro.AccountState;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Files each account summary under its owner, keeping the newest version of each account. */
final class OwnerIndexer implements Processor<String, AccountState, Void, Void> {

  private KeyValueStore<String, AccountState> byOwner;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    byOwner = context.getStateStore(AccountProjections.BY_OWNER);
  }

  @Override
  public void process(Record<String, AccountState> record) {
    AccountState account = record.value();
    if (record.key() == null || account == null) {
      return;
    }
    String key = AccountProjections.ownerKey(record.key(), account.getAccountId());
    AccountState stored = byOwner.get(key);
    if (stored == null || stored.getVersion() < account.getVersion()) {
      byOwner.put(key, account);
    }
  }
}
