package io.ledgerstream.lake;

import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.streams.AggregateType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-lake worker: copies every event of every aggregate type's events topic into Avro object container files,
 * one directory per type named after it, exactly once from the log's point of view.
 *
 * <p>Files are written under a temporary name, fsynced and renamed into place before the offsets they hold are
 * committed. A crash between the rename and the commit leaves the lake ahead of the group, so each run resumes every
 * partition at the later of its committed offset and where its files end. One exporter may write a lake at a time.
 */
public final class LakeExporter {

  private static final Logger log = LoggerFactory.getLogger(LakeExporter.class);

  private final Map<String, Object> clientProperties;
  private final SchemaRegistryClient registry;
  /** The topics the lake holds, each with the aggregate type that names its directory. */
  private final Map<String, String> typeByTopic = new LinkedHashMap<>();
  private final Map<String, AggregateType<?, ?, ?>> typesByTopic = new HashMap<>();
  private final LakeSettings settings;
  private final ExportListener listener;
  private final LakeLayout layout;
  private volatile boolean stopping;

  /**
   * An exporter of these aggregate types' events, reading with {@code clientProperties} (bootstrap servers, SASL, TLS)
   * into the settings' lake.
   */
  public LakeExporter(Map<String, ?> clientProperties, SchemaRegistryClient registry,
                      List<AggregateType<?, ?, ?>> types, LakeSettings settings, ExportListener listener) {
    this.clientProperties = new HashMap<>(clientProperties);
    this.registry = registry;
    types.forEach(type -> typeByTopic.put(type.eventsTopic(), type.name()));
    types.forEach(type -> typesByTopic.put(type.eventsTopic(), type));
    this.settings = settings;
    this.listener = listener;
    this.layout = new LakeLayout(settings.lakeDir());
  }

  /** Exports every event up to the end offsets as of this call, then returns how many events and files it wrote. */
  public ExportProgress exportUntilCaughtUp() {
    return run(false);
  }

  /** Exports events as they arrive until {@link #stop()}, then publishes the open files and returns what it wrote. */
  public ExportProgress follow() {
    return run(true);
  }

  /**
   * Asks a running export to publish its open files and return, and any later one to return at once; safe from any
   * thread.
   */
  public void stop() {
    stopping = true;
  }

  private ExportProgress run(boolean follow) {
    try (FileChannel lock = lock();
         KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
             new ByteArrayDeserializer())) {
      int leftovers = layout.removeTemporaryFiles();
      if (leftovers > 0) {
        log.info("Removed {} unfinished file(s) an interrupted export left in {}", leftovers, layout.root());
      }
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      Map<TopicPartition, Long> from = resume(consumer, partitions);
      Map<TopicPartition, Long> ends = follow ? null : consumer.endOffsets(partitions);
      return new ExportRun(consumer, from, ends, layout, typeByTopic, new EventRows(registry, typesByTopic), settings, listener)
          .run(() -> stopping);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock " + layout.root(), e);
    }
  }

  /** Seeks each partition past both its committed offset and its last file, and returns where each starts. */
  private Map<TopicPartition, Long> resume(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
    Map<TopicPartition, Long> lakeEnds = new HashMap<>();
    typeByTopic.forEach((topic, type) -> layout.ends(type)
        .forEach((partition, end) -> lakeEnds.put(new TopicPartition(topic, partition), end)));
    Map<TopicPartition, Long> from = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata commit = committed.get(partition);
      long committedOffset = commit == null ? 0 : commit.offset();
      long lakeEnd = lakeEnds.getOrDefault(partition, 0L);
      if (lakeEnd > committedOffset) {
        log.info("{}: the lake holds events up to offset {} but the group committed {}; resuming after the lake",
            partition, lakeEnd, committedOffset);
      }
      long start = Math.max(committedOffset, lakeEnd);
      consumer.seek(partition, start);
      from.put(partition, start);
    }
    return from;
  }

  private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : typeByTopic.keySet()) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) {
        throw new LakeExportException("Topic " + topic + " does not exist: start Ledgerstream first");
      }
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    return partitions;
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ledgerstream-lake");
    return config;
  }

  private FileChannel lock() throws IOException {
    Files.createDirectories(layout.root());
    FileChannel channel = FileChannel.open(layout.root().resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new LakeExportException("Another export is writing to " + layout.root());
    }
    return channel;
  }
}
