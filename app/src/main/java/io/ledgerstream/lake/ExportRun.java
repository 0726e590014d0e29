package io.ledgerstream.lake;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One pass of the export loop over positioned partitions: poll, append each event to its partition's open file,
 * publish files that are full, old or of another date, and commit offsets only for what published files hold.
 */
final class ExportRun {

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final LakeLayout layout;
  private final Map<String, String> typeByTopic;
  private final EventRows rows;
  private final LakeSettings settings;
  private final ExportListener listener;
  private final Map<TopicPartition, PartFile> open = new HashMap<>();
  // per partition, the offset before which every record is in a published or an open file
  private final Map<TopicPartition, Long> done;
  private final Map<TopicPartition, Long> ends;
  private final long totalOffsets;
  private long events;
  private int files;

  /**
   * @param ends the offsets to stop at, or null to follow the topics until stopped
   * @param typeByTopic the aggregate type, which names its directory in the lake, of each events topic
   */
  ExportRun(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends,
            LakeLayout layout, Map<String, String> typeByTopic, EventRows rows, LakeSettings settings,
            ExportListener listener) {
    this.consumer = consumer;
    this.done = new HashMap<>(from);
    this.ends = ends;
    this.layout = layout;
    this.typeByTopic = typeByTopic;
    this.rows = rows;
    this.settings = settings;
    this.listener = listener;
    this.totalOffsets = ends == null ? -1 : remaining();
  }

  /** Exports until caught up with the ends or, when following, until {@code stopping}; returns the final progress. */
  ExportProgress run(BooleanSupplier stopping) {
    try {
      while (!stopping.getAsBoolean() && !caughtUp()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
          write(record);
        }
        done.replaceAll((partition, offset) -> consumer.position(partition));
        List<TopicPartition> expired = expired();
        if (!expired.isEmpty()) {
          publish(expired);
          commit();
        }
        listener.progress(progress());
      }
      publish(List.copyOf(open.keySet()));
      // also when nothing was published: a run that only found the lake ahead of the group records where it ends
      commit();
      ExportProgress last = progress();
      listener.progress(last);
      return last;
    } catch (RuntimeException e) {
      open.values().forEach(PartFile::discard);
      throw e;
    }
  }

  private void write(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    GenericRecord row = rows.row(record);
    LocalDate date = EventRows.date(row);
    PartFile file = open.get(partition);
    if (file != null && !file.date().equals(date)) {
      publish(List.of(partition));
      commit();
      file = null;
    }
    if (file == null) {
      Path target = layout.file(typeByTopic.get(record.topic()), date, record.partition(),
          record.offset());
      file = PartFile.create(target, date, record.offset());
      open.put(partition, file);
    }
    file.append(row);
    events++;
    done.put(partition, record.offset() + 1);
    if (file.records() >= settings.rollRecords() || file.bytes() >= settings.rollBytes()) {
      publish(List.of(partition));
      commit();
    }
  }

  private List<TopicPartition> expired() {
    long maxAge = settings.rollAge().toNanos();
    List<TopicPartition> expired = new ArrayList<>();
    open.forEach((partition, file) -> {
      if (file.ageNanos() >= maxAge) {
        expired.add(partition);
      }
    });
    return expired;
  }

  private void publish(List<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      PartFile file = open.remove(partition);
      Path published = file.publish();
      files++;
      listener.filePublished(published, file.records());
    }
  }

  /** Commits, per partition, the start of its open file, or else everything done: both are in published files. */
  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    done.forEach((partition, offset) -> {
      PartFile file = open.get(partition);
      offsets.put(partition, new OffsetAndMetadata(file != null ? file.startOffset() : offset));
    });
    consumer.commitSync(offsets);
  }

  private boolean caughtUp() {
    return ends != null && remaining() == 0;
  }

  private long remaining() {
    long remaining = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      remaining += Math.max(0, end.getValue() - done.get(end.getKey()));
    }
    return remaining;
  }

  private ExportProgress progress() {
    long remaining = ends != null ? remaining() : done.keySet().stream()
        .mapToLong(partition -> consumer.currentLag(partition).orElse(0)).sum();
    return new ExportProgress(events, files, remaining, totalOffsets);
  }
}
