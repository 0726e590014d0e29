package io.ledgerstream.registry.dev;

import java.util.List;

/** Durable storage of the development registry: an append-only log replayed at start-up. */
public interface DevSchemaStore extends AutoCloseable {

  /** Every record appended so far, oldest first. */
  List<DevStoreRecord> load();

  /** Appends a record and returns only once it is durable; throws {@link DevSchemaStoreException} if not. */
  void append(DevStoreRecord record);

  @Override
  void close();
}
