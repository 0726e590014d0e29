package io.ledgerstream.streams.replay;

import io.ledgerstream.streams.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How far back the recorded commands reach. The command topics keep 7 days and the event topics for ever, so in an
 * older ledger the aggregates that began before the oldest command still recorded cannot be replayed: their first
 * commands are gone.
 *
 * @param commandsFrom from when on every command is still recorded; empty when no command was ever deleted
 * @param firstEventAt when the oldest recorded event happened; empty when there are none
 */
public record CommandHorizon(Optional<Instant> commandsFrom, Optional<Instant> firstEventAt) {

  /** How long the contract keeps commands; the horizon of a partition whose every command is gone. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Where one partition starts.
   *
   * @param firstTimestamp the timestamp of its first record, or null when it holds none
   */
  record PartitionStart(long logStart, Instant firstTimestamp) {
  }

  /** Whether the commands start later than the first event, so part of the history cannot be replayed. */
  public boolean cutsHistory() {
    return commandsFrom.isPresent() && firstEventAt.isPresent() && commandsFrom.get().isAfter(firstEventAt.get());
  }

  /** Whether an aggregate whose first event happened at {@code began} was replayed from its first command. */
  public boolean replayable(Instant began) {
    return commandsFrom.isEmpty() || !began.isBefore(commandsFrom.get());
  }

  /** What an operator should know when {@link #cutsHistory}. */
  public String note() {
    return "Note: the recorded commands start at " + commandsFrom.orElseThrow() + " but the first event is from "
        + firstEventAt.orElseThrow() + ": the command topics keep commands for " + Topics.COMMAND_RETENTION.toDays()
        + " days (the event topics for ever), so aggregates that began before " + commandsFrom.get()
        + " cannot be replayed and are left out of the comparison.";
  }

  /**
   * The horizon given where each partition starts: the latest first command of the partitions that lost commands
   * (retention deletes by time, so each of them is complete only from its first record on).
   */
  static CommandHorizon of(List<PartitionStart> commands, List<PartitionStart> events, Instant now) {
    Optional<Instant> commandsFrom = commands.stream()
        .filter(start -> start.logStart() > 0)
        .map(start -> start.firstTimestamp() != null ? start.firstTimestamp() : now.minus(Topics.COMMAND_RETENTION))
        .max(Comparator.naturalOrder());
    Optional<Instant> firstEventAt = events.stream().map(PartitionStart::firstTimestamp).filter(Objects::nonNull)
        .min(Comparator.naturalOrder());
    return new CommandHorizon(commandsFrom, firstEventAt);
  }

  /** Reads where the command and event topics start now. */
  public static CommandHorizon read(Admin admin, Map<String, Object> clientProperties, List<String> commandTopics,
                                    List<String> eventTopics) {
    return of(starts(admin, clientProperties, commandTopics), starts(admin, clientProperties, eventTopics),
        Instant.now());
  }

  private static List<PartitionStart> starts(Admin admin, Map<String, Object> clientProperties, List<String> topics) {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      admin.describeTopics(topics).allTopicNames().get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS).forEach(
          (name, description) -> description.partitions()
              .forEach(info -> partitions.add(new TopicPartition(name, info.partition()))));
      Map<TopicPartition, Long> firsts = offsets(admin, partitions, OffsetSpec.earliest());
      Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
      List<TopicPartition> holding = partitions.stream().filter(p -> firsts.get(p) < ends.get(p)).toList();
      Map<TopicPartition, Instant> timestamps = firstTimestamps(clientProperties, holding, firsts);
      return partitions.stream().map(p -> new PartitionStart(firsts.get(p), timestamps.get(p))).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading where " + topics + " start", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not read where " + topics + " start: " + e, e);
    }
  }

  private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    return admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)))
        .all().get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  /** The timestamp of the first record of each partition, reading one record from each. */
  private static Map<TopicPartition, Instant> firstTimestamps(Map<String, Object> clientProperties,
                                                              List<TopicPartition> partitions,
                                                              Map<TopicPartition, Long> firsts) {
    Map<TopicPartition, Instant> found = new HashMap<>();
    if (partitions.isEmpty()) {
      return found;
    }
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(partitions);
      partitions.forEach(p -> consumer.seek(p, firsts.get(p)));
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (found.size() < partitions.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          found.putIfAbsent(partition, Instant.ofEpochMilli(record.timestamp()));
          consumer.pause(List.of(partition));
        }
      }
    }
    return found;
  }
}
