package io.ledgerstream.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group (a streams application) is behind on its input partitions, as the broker sees it: the
 * group's committed offsets against each partition's first offset and its last stable offset, so records of open or
 * aborted transactions do not count.
 *
 * @param complete false when an input topic does not exist yet, so the group cannot be caught up
 */
public record ConsumerLag(Instant measuredAt, List<PartitionLag> partitions, boolean complete) {

  private static final long TIMEOUT_SECONDS = 15;

  /**
   * One input partition.
   *
   * @param committed the group's committed offset, or {@code logStart} when it has none or records below it are gone
   * @param internal a repartition topic of the application itself, left out of {@link #done} and {@link #total}
   */
  public record PartitionLag(String topic, int partition, long logStart, long committed, long end, boolean internal) {

    public long lag() {
      return Math.max(0, end - committed);
    }

    public TopicPartition topicPartition() {
      return new TopicPartition(topic, partition);
    }
  }

  /** Records still to process over every input partition. */
  public long lag() {
    return partitions.stream().mapToLong(PartitionLag::lag).sum();
  }

  /** Records processed of the external inputs, counted from each partition's first offset still in the log. */
  public long done() {
    return partitions.stream().filter(p -> !p.internal()).mapToLong(p -> p.committed() - p.logStart()).sum();
  }

  /** Records in the external inputs, from each partition's first offset to its end. */
  public long total() {
    return partitions.stream().filter(p -> !p.internal()).mapToLong(p -> p.end() - p.logStart()).sum();
  }

  public boolean caughtUp() {
    return complete && lag() == 0;
  }

  /** The same committed offsets measured against other ends, e.g. the ends when a replay started. */
  public ConsumerLag against(Map<TopicPartition, Long> ends) {
    return new ConsumerLag(measuredAt, partitions.stream().map(p -> {
      long end = ends.getOrDefault(p.topicPartition(), p.end());
      return new PartitionLag(p.topic(), p.partition(), p.logStart(), Math.min(p.committed(), end), end, p.internal());
    }).toList(), complete);
  }

  /**
   * Measures the group's lag now.
   *
   * @param inputs the topics the group reads from the outside
   * @param internalInputs topics the group writes and reads back itself (repartition topics)
   */
  public static ConsumerLag measure(Admin admin, String groupId, Collection<String> inputs,
                                    Collection<String> internalInputs) {
    try {
      List<String> topics = new ArrayList<>(inputs);
      topics.addAll(internalInputs);
      List<TopicPartition> partitions = new ArrayList<>();
      boolean complete = true;
      for (Map.Entry<String, KafkaFuture<TopicDescription>> described
          : admin.describeTopics(topics).topicNameValues().entrySet()) {
        try {
          described.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).partitions()
              .forEach(info -> partitions.add(new TopicPartition(described.getKey(), info.partition())));
        } catch (ExecutionException e) {
          complete = false;
        }
      }
      Map<TopicPartition, Long> starts = offsets(admin, partitions, OffsetSpec.earliest());
      Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<PartitionLag> lags = partitions.stream().map(tp -> {
        long start = starts.get(tp);
        OffsetAndMetadata offset = committed.get(tp);
        long position = offset == null ? start : Math.max(start, offset.offset());
        return new PartitionLag(tp.topic(), tp.partition(), start, position, Math.max(position, ends.get(tp)),
            internalInputs.contains(tp.topic()));
      }).toList();
      return new ConsumerLag(Instant.now(), lags, complete);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring the lag of " + groupId, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("could not measure the lag of " + groupId + ": " + cause.getMessage(), cause);
    }
  }

  private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (partitions.isEmpty()) {
      return new HashMap<>();
    }
    Map<TopicPartition, OffsetSpec> request = partitions.stream()
        .collect(Collectors.toMap(Function.identity(), tp -> spec));
    Map<TopicPartition, ListOffsetsResultInfo> result = admin
        .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }
}
