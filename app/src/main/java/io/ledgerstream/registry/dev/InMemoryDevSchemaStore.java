package io.ledgerstream.registry.dev;

import java.util.ArrayList;
import java.util.List;

/** A {@link DevSchemaStore} held in memory: survives a registry restart within one JVM, for fast tests. */
public final class InMemoryDevSchemaStore implements DevSchemaStore {

  private final List<DevStoreRecord> records = new ArrayList<>();

  @Override
  public synchronized List<DevStoreRecord> load() {
    return List.copyOf(records);
  }

  @Override
  public synchronized void append(DevStoreRecord record) {
    records.add(record);
  }

  @Override
  public void close() {
  }
}
