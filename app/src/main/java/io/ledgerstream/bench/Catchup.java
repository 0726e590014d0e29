package io.ledgerstream.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.DoubleConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Tells when a streams application has processed everything in its input topics, and its own repartition topics,
 * from the offsets its group committed: with exactly-once those move only when a transaction commits.
 */
final class Catchup {

  private static final Duration POLL = Duration.ofMillis(100);

  private Catchup() {
  }

  /**
   * Waits until the group's committed offsets reach the end of every partition of {@code inputs} as it is now, and
   * of {@code internals} as it is when the inputs are done.
   *
   * @param progress called with the share of the input records processed, from 0 to 1
   */
  static void await(BenchCluster cluster, String groupId, Collection<String> inputs, Collection<String> internals,
                    Duration timeout, DoubleConsumer progress) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = cluster.admin()) {
      List<TopicPartition> inputPartitions = partitions(admin, inputs);
      Map<TopicPartition, Long> starts = offsets(admin, inputPartitions, OffsetSpec.earliest());
      Map<TopicPartition, Long> ends = offsets(admin, inputPartitions, OffsetSpec.latest());
      long total = ends.entrySet().stream().mapToLong(e -> e.getValue() - starts.get(e.getKey())).sum();
      while (true) {
        Map<TopicPartition, Long> committed = committed(admin, groupId);
        long done = 0;
        boolean inputsDone = true;
        for (TopicPartition partition : inputPartitions) {
          long position = Math.max(committed.getOrDefault(partition, 0L), starts.get(partition));
          done += Math.min(position, ends.get(partition)) - starts.get(partition);
          inputsDone &= position >= ends.get(partition);
        }
        progress.accept(total == 0 ? 1 : (double) done / total);
        if (inputsDone && internalsDone(admin, internals, committed)) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(groupId + " processed " + done + " of " + total + " input records in "
              + timeout.toSeconds() + " s");
        }
        Sleep.millis(POLL.toMillis());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not read offsets of " + groupId + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** False also while the application has not created its internal topics yet. */
  private static boolean internalsDone(Admin admin, Collection<String> internals, Map<TopicPartition, Long> committed)
      throws ExecutionException, InterruptedException {
    try {
      Map<TopicPartition, Long> ends = offsets(admin, partitions(admin, internals), OffsetSpec.latest());
      return ends.entrySet().stream()
          .allMatch(end -> end.getValue() == 0 || committed.getOrDefault(end.getKey(), 0L) >= end.getValue());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }

  static List<TopicPartition> partitions(Admin admin, Collection<String> topics)
      throws ExecutionException, InterruptedException {
    if (topics.isEmpty()) {
      return List.of();
    }
    return admin.describeTopics(topics).allTopicNames().get().values().stream()
        .flatMap(description -> description.partitions().stream()
            .map(info -> new TopicPartition(description.name(), info.partition())))
        .toList();
  }

  static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(partition -> request.put(partition, spec));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (Map.Entry<TopicPartition, ListOffsetsResultInfo> entry : admin.listOffsets(request).all().get().entrySet()) {
      offsets.put(entry.getKey(), entry.getValue().offset());
    }
    return offsets;
  }

  private static Map<TopicPartition, Long> committed(Admin admin, String groupId)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, Long> committed = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> entry :
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().entrySet()) {
      if (entry.getValue() != null) {
        committed.put(entry.getKey(), entry.getValue().offset());
      }
    }
    return committed;
  }
}
