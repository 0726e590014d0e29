package io.ledgerstream.faults;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferCommand;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.streams.ClaimStage;
import io.ledgerstream.streams.PoisonRecordHandler;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * Everything one run left on the ledger's topics, decoded, in offset order per partition: the records whose key (or,
 * for results, aggregate id) starts with the run's prefix. Records the application wrote that do not decode are kept
 * as {@link #unreadable} rather than skipped.
 */
public final class LedgerLog {

  /**
   * A record at its place in its topic.
   *
   * @param source for a result, the public command record it answers as the result names it; else null
   */
  public record Entry<V>(String topic, int partition, long offset, String key, V value, String source) {

    public Entry(String topic, int partition, long offset, String key, V value) {
      this(topic, partition, offset, key, value, null);
    }

    String where() {
      return topic + "-" + partition + "@" + offset;
    }

    /** This record's place as the result of a public command names it. */
    String asSource() {
      return ClaimStage.position(topic, partition, offset);
    }
  }

  /**
   * A command record as sent: its bytes, and either its metadata and payload type or why it does not decode.
   *
   * @param commandId null when the record does not decode
   * @param issuedBy who sent it, as its metadata says
   */
  public record Command(Entry<RawRecord> entry, String commandId, String type, String issuedBy, String error) {}

  private final String prefix;
  private final Topics topics;
  final List<Command> commands = new ArrayList<>();
  final List<Entry<AccountEvent>> accountEvents = new ArrayList<>();
  final List<Entry<TransferEvent>> transferEvents = new ArrayList<>();
  final List<Entry<AccountState>> accountStates = new ArrayList<>();
  final List<Entry<TransferState>> transferStates = new ArrayList<>();
  final List<Entry<CommandResult>> results = new ArrayList<>();
  /** Dead letters as the original records: the topic named by their header, their key and value. */
  final List<Entry<RawRecord>> deadLetters = new ArrayList<>();
  final List<String> unreadable = new ArrayList<>();
  /** Command records stamped with their producer's time rather than the broker's append time. */
  final List<String> producerStamped = new ArrayList<>();
  /** Public commands the claim stage passed on to the internal command topics. */
  int forwarded;
  private long firstCommandAt = Long.MAX_VALUE;
  private long lastCommandAt = Long.MIN_VALUE;

  /** The public command topics and the internal ones the transfer worker writes. */
  static final Set<String> COMMAND_TOPICS = Set.of(Topics.ACCOUNT_COMMANDS, Topics.TRANSFER_COMMANDS,
      AccountType.TYPE.internalCommandsTopic(), TransferType.TYPE.internalCommandsTopic());

  /** An empty log of the run whose keys start with {@code run + "-"}; {@link #add} fills it. */
  public LedgerLog(String run, Topics topics) {
    this.prefix = run + "-";
    this.topics = topics;
  }

  /** Reads every topic with read_committed from the beginning to its last stable offset. */
  public static LedgerLog read(Map<String, Object> clientProperties, Topics topics, String run, Duration timeout) {
    LedgerLog log = new LedgerLog(run, topics);
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<?, ?> topic : topics.all()) {
        consumer.partitionsFor(topic.name(), timeout)
            .forEach(info -> partitions.add(new TopicPartition(topic.name(), info.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(partition -> consumer.position(partition, timeout) < ends.get(partition))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the ledger's topics were not read to their end within " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          log.add(record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.headers(),
              record.timestamp(), record.timestampType());
        }
      }
    }
    return log;
  }

  /** Adds one record read from a topic without its timestamp, if it belongs to this run. */
  public void add(String topic, int partition, long offset, byte[] keyBytes, byte[] value, Headers headers) {
    add(topic, partition, offset, keyBytes, value, headers, -1L, TimestampType.NO_TIMESTAMP_TYPE);
  }

  /** Adds one record read from a topic, if it belongs to this run. */
  public void add(String topic, int partition, long offset, byte[] keyBytes, byte[] value, Headers headers,
                  long timestamp, TimestampType timestampType) {
    String key = keyBytes == null ? null : new String(keyBytes, StandardCharsets.UTF_8);
    if (topic.equals(Topics.COMMAND_RESULTS)) {
      addResult(new Entry<>(topic, partition, offset, key, null), value);
      return;
    }
    if (key == null || !key.startsWith(prefix)) {
      return;
    }
    if (COMMAND_TOPICS.contains(topic)) {
      if (headers != null && ClaimStage.isClaimedPublic(headers)) {
        // a claim verdict on an internal topic: the public command again, not a command of its own
        if (!ClaimStage.isRefused(headers)) {
          forwarded++;
        }
        return;
      }
      addCommand(topic, partition, offset, key, keyBytes, value);
      stamp(topic + "-" + partition + "@" + offset, timestamp, timestampType);
      return;
    }
    switch (topic) {
      case Topics.ACCOUNT_EVENTS -> decode(topic, partition, offset, key, value, topics.accountEvents, accountEvents);
      case Topics.TRANSFER_EVENTS -> decode(topic, partition, offset, key, value, topics.transferEvents, transferEvents);
      case Topics.ACCOUNT_STATE -> decode(topic, partition, offset, key, value, topics.accountState, accountStates);
      case Topics.TRANSFER_STATE -> decode(topic, partition, offset, key, value, topics.transferState, transferStates);
      case Topics.DLQ -> deadLetters.add(new Entry<>(topic, partition, offset, key,
          new RawRecord(header(headers, PoisonRecordHandler.HEADER_TOPIC), Bytes.wrap(keyBytes), Bytes.wrap(value))));
      default -> { }
    }
  }

  /**
   * Widens the run's time span by a command record's timestamp; one its producer stamped (not the broker) is noted in
   * {@link #producerStamped}.
   */
  private void stamp(String where, long timestamp, TimestampType type) {
    if (type == TimestampType.NO_TIMESTAMP_TYPE) {
      return;
    }
    if (type != TimestampType.LOG_APPEND_TIME) {
      producerStamped.add(where);
    }
    firstCommandAt = Math.min(firstCommandAt, timestamp);
    lastCommandAt = Math.max(lastCommandAt, timestamp);
  }

  /** The span of the run's command records' timestamps, empty when the records were read without them. */
  Optional<long[]> commandTimeSpan() {
    return firstCommandAt <= lastCommandAt ? Optional.of(new long[] {firstCommandAt, lastCommandAt})
        : Optional.empty();
  }

  boolean belongsToRun(String aggregateId) {
    return aggregateId != null && aggregateId.startsWith(prefix);
  }

  /** How many records of the run were read, to tell whether anything moved since an earlier read. */
  public int size() {
    return commands.size() + accountEvents.size() + transferEvents.size() + accountStates.size()
        + transferStates.size() + results.size() + deadLetters.size();
  }

  /** Record counts, for the report. */
  public String summary() {
    long distinctCommands = commands.stream().map(Command::commandId).filter(id -> id != null).distinct().count();
    return commands.size() + " command records (" + distinctCommands + " command ids; " + forwarded + " passed on by the "
        + "claim stage), " + results.size() + " results, "
        + accountEvents.size() + " account events, " + transferEvents.size() + " transfer events, "
        + accountStates.size() + "+" + transferStates.size() + " snapshots, " + deadLetters.size() + " dead letters";
  }

  private void addCommand(String topic, int partition, long offset, String key, byte[] keyBytes, byte[] value) {
    Entry<RawRecord> entry = new Entry<>(topic, partition, offset, key,
        new RawRecord(topic, Bytes.wrap(keyBytes), Bytes.wrap(value)));
    try {
      CommandMetadata metadata;
      Object payload;
      if (topic.equals(Topics.ACCOUNT_COMMANDS) || topic.equals(AccountType.TYPE.internalCommandsTopic())) {
        AccountCommand command = topics.accountCommands.valueSerde().deserializer().deserialize(topic, value);
        metadata = command.getMetadata();
        payload = command.getPayload();
      } else {
        TransferCommand command = topics.transferCommands.valueSerde().deserializer().deserialize(topic, value);
        metadata = command.getMetadata();
        payload = command.getPayload();
      }
      commands.add(new Command(entry, metadata.getCommandId(), payload.getClass().getSimpleName(),
          metadata.getIssuedBy(), null));
    } catch (RuntimeException e) {
      commands.add(new Command(entry, null, null, null, e.toString()));
    }
  }

  private void addResult(Entry<Void> at, byte[] value) {
    try {
      CommandResult result = topics.commandResults.valueSerde().deserializer().deserialize(at.topic(), value);
      if (result != null && belongsToRun(result.getAggregateId())) {
        results.add(new Entry<>(at.topic(), at.partition(), at.offset(), at.key(), result, result.getSource()));
      }
    } catch (RuntimeException e) {
      unreadable.add("result " + at.where() + " does not decode: " + e);
    }
  }

  private <V> void decode(String topic, int partition, long offset, String key, byte[] value, Topic<String, V> from,
                          List<Entry<V>> into) {
    try {
      into.add(new Entry<>(topic, partition, offset, key, from.valueSerde().deserializer().deserialize(topic, value)));
    } catch (RuntimeException e) {
      unreadable.add(topic + "-" + partition + "@" + offset + " (key " + key + ") does not decode: " + e);
    }
  }

  private static String header(Headers headers, String name) {
    Header header = headers == null ? null : headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
