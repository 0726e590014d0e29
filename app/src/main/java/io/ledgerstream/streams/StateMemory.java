package io.ledgerstream.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of every RocksDB store in the JVM by one budget ({@code --state-memory}): the stores of
 * all Kafka Streams applications here (the command side, the projections, a generation being rebuilt) share one
 * block cache, their memtables are counted against that cache through one write buffer manager, and their index
 * and filter blocks live in it too (level 0's pinned), instead of each store's own cache, memtables and table
 * readers outside any bound.
 *
 * <p>Kafka Streams creates one instance per store by reflection ({@code rocksdb.config.setter}) and passes the
 * application's configs, which carry the budget under {@link #BUDGET_CONFIG}; the cache and the manager live as long
 * as the JVM, one pair per budget.
 */
public final class StateMemory implements RocksDBConfigSetter {

  /** The default budget: enough for a million accounts' stores on both sides at a few percent cache misses. */
  public static final long DEFAULT_BUDGET_BYTES = 256L * 1024 * 1024;
  /** The application config holding the budget in bytes. */
  public static final String BUDGET_CONFIG = "ledgerstream.state.memory.bytes";
  /**
   * The application config holding the largest memtable of one store in bytes, {@link #WRITE_BUFFER_BYTES} when unset:
   * a generation catching up with the logs writes every store it has and sets it higher.
   */
  public static final String WRITE_BUFFER_CONFIG = "ledgerstream.state.write.buffer.bytes";

  /** Memtables may take up to this share of the budget before the largest is flushed. */
  private static final double WRITE_BUFFER_SHARE = 0.5;
  /** Index and filter blocks have this share of the cache at high priority, so data blocks do not evict them. */
  private static final double HIGH_PRIORITY_SHARE = 0.2;
  /**
   * The largest memtable of one store. The write buffer manager counts every store's memtables, but when they are over
   * its share it flushes only the store being written, never an idle one: after a burst on the command side its
   * hundred-odd stores held Kafka Streams' 16 MiB memtables past the share, and every write of the projections then
   * flushed a memtable of a kilobyte or two, stalling their puts for minutes. Memtables of 1 MiB keep what idle
   * stores can hold to about the share at most, so the stores being written flush at a sensible size.
   */
  static final long WRITE_BUFFER_BYTES = 1024L * 1024;

  private static final Map<Long, Shared> BY_BUDGET = new ConcurrentHashMap<>();

  private record Shared(Cache cache, WriteBufferManager writeBuffers) {

    static Shared of(long budget) {
      Cache cache = new LRUCache(budget, -1, false, HIGH_PRIORITY_SHARE);
      return new Shared(cache, new WriteBufferManager((long) (budget * WRITE_BUFFER_SHARE), cache));
    }
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Shared shared = BY_BUDGET.computeIfAbsent(budget(configs), Shared::of);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(shared.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinL0FilterAndIndexBlocksInCache(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(shared.writeBuffers());
    options.setWriteBufferSize(writeBuffer(configs));
  }

  /** Nothing to release per store: the cache and the manager are shared by every store and kept for the JVM's life. */
  @Override
  public void close(String storeName, Options options) {
  }

  /** Bytes in use in the cache shared under this budget (blocks and the memtables charged to it); 0 before any store. */
  static long usage(long budget) {
    Shared shared = BY_BUDGET.get(budget);
    return shared == null ? 0 : shared.cache().getUsage();
  }

  /** The largest memtable of one store in the configs, or {@link #WRITE_BUFFER_BYTES}. */
  static long writeBuffer(Map<String, ?> configs) {
    return positive(configs, WRITE_BUFFER_CONFIG, WRITE_BUFFER_BYTES);
  }

  /** The budget in the configs, or the default. */
  static long budget(Map<String, ?> configs) {
    return positive(configs, BUDGET_CONFIG, DEFAULT_BUDGET_BYTES);
  }

  private static long positive(Map<String, ?> configs, String name, long otherwise) {
    Object value = configs.get(name);
    if (value == null) {
      return otherwise;
    }
    long bytes = value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
    if (bytes <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return bytes;
  }
}
