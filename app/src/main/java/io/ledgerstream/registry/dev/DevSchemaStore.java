package io.ledgerstream.registry.dev;

import java.util.List;

/** Durable storage of the development registry: an append-only log replayed at start-up. */
public interface DevSchemaStore extends AutoCloseable {

  /** Every record appended so far, oldest first. */
  List<DevStoreRecord> load();

  /**
   * What other writers appended since this store last read, oldest first: read before deciding a new schema id, so
   * an id is never handed out twice. A store only this process writes has nothing new.
   */
  default List<DevStoreRecord> readNew() {
    return List.of();
  }

  /** Appends a record and returns only once it is durable; throws {@link DevSchemaStoreException} if not. */
  void append(DevStoreRecord record);

  @Override
  void close();
}
