package io.ledgerstream.dlq;

import io.ledgerstream.streams.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter topic for operators: its letters page by page, newest first, one letter in full, and re-driving
 * letters to the topic they came from, each at most once, from any number of instances and CLIs at the same time.
 *
 * <p>A re-drive produces the original key, value and headers (without the dead-lettering's) with a header naming the
 * letter, and records the re-drive in {@value RedriveLog#TOPIC}, both in one transaction. Every re-drive uses the
 * same transactional id: starting one fences any other still in flight, whose commit then fails, and waits for one
 * that is committing; only then does it read which letters were re-driven, so two re-drives of a letter can never
 * both commit.
 */
public final class DeadLetters {

  /** The header a re-driven copy carries, naming its letter: {@code ledger.dlq/<partition>@<offset>}. */
  public static final String REDRIVEN_FROM_HEADER = "ledger.redriven-from";
  /** The transactional id every re-drive shares; the application's ACLs must allow it. */
  public static final String TRANSACTIONAL_ID = "ledgerstream-dlq-redrive";
  public static final String REDRIVES_TOPIC = RedriveLog.TOPIC;
  public static final int DEFAULT_PAGE = 50;
  public static final int MAX_PAGE = 500;
  public static final int MAX_REDRIVE = 100;
  /**
   * The topics a letter may go back to: the command topics. A record that failed on the event store or a snapshot
   * topic cannot be fixed by writing its bytes there again, and writing there is the command side's alone.
   */
  public static final Set<String> REDRIVABLE_TOPICS = Set.of(Topics.ACCOUNT_COMMANDS, Topics.TRANSFER_COMMANDS);

  private static final String TOPIC = Topics.DLQ;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int ATTEMPTS = 5;
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final Map<String, Object> clientProperties;
  private final AtomicLong clients = new AtomicLong();

  private DeadLetters(Map<String, ?> clientProperties) {
    this.clientProperties = Map.copyOf(clientProperties);
  }

  /**
   * The dead letters of the cluster these client properties reach; creates {@value RedriveLog#TOPIC} when missing.
   *
   * @param replicationFactor of that topic if created; -1 for the broker's default
   */
  public static DeadLetters open(Map<String, ?> clientProperties, short replicationFactor) {
    try (Admin admin = Admin.create(new HashMap<>(clientProperties))) {
      RedriveLog.ensure(admin, replicationFactor);
    }
    return new DeadLetters(clientProperties);
  }

  /**
   * One page of letters, newest first.
   *
   * @param next where the following page starts, for {@link #list}'s {@code before}; null on the last page
   */
  public record Page(List<DeadLetter> letters, String next) {
  }

  /**
   * Up to {@code limit} letters older than the cursor, newest first.
   *
   * @param before null or blank for the newest, else a page's {@link Page#next}: {@code <partition>@<offset>,...}
   *     naming, per partition, the offset the page ends before
   */
  public Page list(String before, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new DeadLetterException(DeadLetterException.Reason.MALFORMED,
          "a page holds 1 to " + MAX_PAGE + " letters, not " + limit);
    }
    Map<Integer, Long> cursor = parseCursor(before);
    try (Consumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer);
      Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, TIMEOUT);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
      Map<Integer, Long> bounds = new LinkedHashMap<>();
      List<ConsumerRecord<byte[], byte[]>> candidates = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        long bound = Math.min(cursor.getOrDefault(partition.partition(), ends.get(partition)), ends.get(partition));
        bounds.put(partition.partition(), bound);
        candidates.addAll(newest(consumer, partition, begins.get(partition), bound, limit));
      }
      candidates.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp).reversed()
          .thenComparing(ConsumerRecord::partition)
          .thenComparing(Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::offset).reversed()));
      List<ConsumerRecord<byte[], byte[]>> page = candidates.subList(0, Math.min(limit, candidates.size()));
      page.forEach(record -> bounds.merge(record.partition(), record.offset(), Math::min));
      Map<LetterPosition, Redrive> redrives = RedriveLog.readAll(consumer, TIMEOUT);
      List<DeadLetter> letters = page.stream()
          .map(record -> DeadLetter.of(record, redrives.get(new LetterPosition(record.partition(), record.offset()))))
          .toList();
      String next = candidates.size() > limit ? formatCursor(bounds) : null;
      return new Page(letters, next);
    } catch (KafkaException e) {
      throw unavailable("list the dead letters", e);
    }
  }

  /** The letter at this position, with its re-drive if it had one. */
  public DeadLetter show(LetterPosition position) {
    try (Consumer<byte[], byte[]> consumer = consumer()) {
      DeadLetter letter = find(consumer, position);
      return letter.withRedrive(RedriveLog.readAll(consumer, TIMEOUT).get(position));
    } catch (KafkaException e) {
      throw unavailable("read dead letter " + position, e);
    }
  }

  /**
   * Re-drives every letter named, all in one transaction, or none of them: each must exist, come from a command
   * topic and not have been re-driven before.
   *
   * @param by who asks, recorded with the re-drive
   * @return the re-drives made, in the order asked
   */
  public synchronized List<Redrive> redrive(List<LetterPosition> positions, String by) {
    checkRequest(positions);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        backOff(attempt);
      }
      KafkaProducer<byte[], byte[]> producer = transactionalProducer();
      try (Consumer<byte[], byte[]> consumer = consumer()) {
        // fences any re-drive still in flight and waits for one that is committing, so the read below sees them all
        producer.initTransactions();
        Map<LetterPosition, Redrive> done = RedriveLog.readAll(consumer, TIMEOUT);
        List<DeadLetter> letters = new ArrayList<>();
        for (LetterPosition position : positions) {
          letters.add(checkRedrivable(find(consumer, position), done));
        }
        return redrive(producer, letters, by);
      } catch (ProducerFencedException | InvalidProducerEpochException e) {
        log.info("Re-drive of {} was fenced by another re-drive (attempt {} of {})", positions, attempt, ATTEMPTS);
      } catch (KafkaException e) {
        throw unavailable("re-drive " + positions, e);
      } finally {
        producer.close(Duration.ofSeconds(5));
      }
    }
    throw new DeadLetterException(DeadLetterException.Reason.CONFLICT, "other re-drives kept fencing this one off; "
        + "nothing was re-driven, and trying again is safe");
  }

  /**
   * Waits a random while before trying again, so that two re-drives fencing each other do not keep doing so: the
   * one that waits longer usually finds the other committed.
   */
  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(100, 400) * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadLetterException(DeadLetterException.Reason.UNAVAILABLE, "interrupted; nothing was re-driven", e);
    }
  }

  private static List<Redrive> redrive(KafkaProducer<byte[], byte[]> producer, List<DeadLetter> letters, String by) {
    producer.beginTransaction();
    try {
      List<Redrive> made = new ArrayList<>();
      for (DeadLetter letter : letters) {
        RecordMetadata copy = producer.send(copyOf(letter)).get();
        Redrive redrive = new Redrive(letter.position().toString(), Instant.now(), copy.topic(), copy.partition(),
            copy.offset(), by);
        producer.send(RedriveLog.record(redrive));
        made.add(redrive);
      }
      producer.commitTransaction();
      log.info("Re-drove {} by {}", made.stream().map(r -> r.letter() + " -> " + r.copy()).toList(), by);
      return made;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(producer);
      throw new DeadLetterException(DeadLetterException.Reason.UNAVAILABLE, "interrupted; nothing was re-driven", e);
    } catch (ExecutionException e) {
      KafkaException cause = e.getCause() instanceof KafkaException kafka ? kafka : new KafkaException(e.getCause());
      abort(producer);
      throw cause;
    } catch (KafkaException e) {
      abort(producer);
      throw e;
    }
  }

  /**
   * Aborts at once rather than leaving the transaction to time out: until it ends, read-committed consumers of the
   * command topic's partition, the command side among them, cannot read past it.
   */
  private static void abort(KafkaProducer<byte[], byte[]> producer) {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      // fenced: whoever fenced it has aborted it already
      log.debug("Could not abort a re-drive: {}", e.toString());
    }
  }

  /** The original record, to the topic it came from, keyed as it was, so it lands on the partition it was read on. */
  static ProducerRecord<byte[], byte[]> copyOf(DeadLetter letter) {
    RecordHeaders headers = letter.originalHeaders();
    headers.remove(REDRIVEN_FROM_HEADER);
    headers.add(REDRIVEN_FROM_HEADER, (TOPIC + "/" + letter.position()).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(letter.originTopic().orElseThrow(), null, letter.key(), letter.value(), headers);
  }

  /** Why this letter cannot be re-driven, if it cannot, whether or not it already was. */
  public static Optional<String> whyNotRedrivable(DeadLetter letter) {
    Optional<String> origin = letter.originTopic();
    if (origin.isEmpty()) {
      return Optional.of("it names no topic it came from (no " + DeadLetter.ERROR_HEADER_PREFIX + "topic header)");
    }
    if (!REDRIVABLE_TOPICS.contains(origin.get())) {
      return Optional.of("it came from " + origin.get() + ", and only the command topics ("
          + REDRIVABLE_TOPICS.stream().sorted().collect(Collectors.joining(", ")) + ") take re-driven records");
    }
    return Optional.empty();
  }

  private static DeadLetter checkRedrivable(DeadLetter letter, Map<LetterPosition, Redrive> done) {
    Redrive before = done.get(letter.position());
    if (before != null) {
      throw new DeadLetterException(DeadLetterException.Reason.ALREADY_REDRIVEN, "dead letter " + letter.position()
          + " was re-driven at " + before.redrivenAt() + " by " + before.by() + " to " + before.copy()
          + "; a letter is re-driven at most once, and nothing was re-driven now");
    }
    Optional<String> why = whyNotRedrivable(letter);
    if (why.isPresent()) {
      throw new DeadLetterException(DeadLetterException.Reason.NOT_REDRIVABLE, "dead letter " + letter.position()
          + " cannot be re-driven: " + why.get() + "; nothing was re-driven");
    }
    return letter.withRedrive(null);
  }

  private static void checkRequest(List<LetterPosition> positions) {
    if (positions.isEmpty()) {
      throw new DeadLetterException(DeadLetterException.Reason.MALFORMED, "name at least one dead letter to re-drive");
    }
    if (positions.size() > MAX_REDRIVE) {
      throw new DeadLetterException(DeadLetterException.Reason.MALFORMED,
          "at most " + MAX_REDRIVE + " letters are re-driven at once, not " + positions.size());
    }
    Set<LetterPosition> seen = new HashSet<>();
    for (LetterPosition position : positions) {
      if (!seen.add(position)) {
        throw new DeadLetterException(DeadLetterException.Reason.MALFORMED, "dead letter " + position
            + " is named twice");
      }
    }
  }

  /** The committed letter at this position; not found when none is (expired, aborted, never written). */
  private static DeadLetter find(Consumer<byte[], byte[]> consumer, LetterPosition position) {
    List<TopicPartition> partitions = partitions(consumer);
    if (position.partition() >= partitions.size()) {
      throw new DeadLetterException(DeadLetterException.Reason.NOT_FOUND, "no dead letter at " + position + ": "
          + TOPIC + " has " + partitions.size() + " partitions, numbered from 0");
    }
    TopicPartition partition = new TopicPartition(TOPIC, position.partition());
    long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
    consumer.assign(List.of(partition));
    consumer.seek(partition, position.offset());
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (position.offset() < end && consumer.position(partition, TIMEOUT) <= position.offset()) {
      checkDeadline(deadline, "read " + position);
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(partition)) {
        if (record.offset() == position.offset()) {
          return DeadLetter.of(record, null);
        }
        if (record.offset() > position.offset()) {
          break;
        }
      }
    }
    throw new DeadLetterException(DeadLetterException.Reason.NOT_FOUND, "no dead letter at " + position
        + " (it may have expired, or the offset holds no committed record)");
  }

  /**
   * The newest {@code limit} committed records of a partition below {@code bound}, oldest first. Reads backwards in
   * growing windows, since transaction markers and aborted records take offsets too.
   */
  private static List<ConsumerRecord<byte[], byte[]>> newest(Consumer<byte[], byte[]> consumer,
                                                             TopicPartition partition, long begin, long bound,
                                                             int limit) {
    List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
    long to = bound;
    long span = limit * 2L;
    while (found.size() < limit && to > begin) {
      long from = Math.max(begin, to - span);
      List<ConsumerRecord<byte[], byte[]>> window = read(consumer, partition, from, to);
      window.addAll(found);
      found = window;
      to = from;
      span *= 2;
    }
    return found.size() <= limit ? found : found.subList(found.size() - limit, found.size());
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(Consumer<byte[], byte[]> consumer,
                                                           TopicPartition partition, long from, long to) {
    consumer.assign(List.of(partition));
    consumer.seek(partition, from);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (consumer.position(partition, TIMEOUT) < to) {
      checkDeadline(deadline, "read " + partition);
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(partition)) {
        if (record.offset() >= from && record.offset() < to) {
          records.add(record);
        }
      }
    }
    return records;
  }

  private static List<TopicPartition> partitions(Consumer<byte[], byte[]> consumer) {
    return consumer.partitionsFor(TOPIC, TIMEOUT).stream()
        .map(info -> new TopicPartition(TOPIC, info.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition))
        .toList();
  }

  static Map<Integer, Long> parseCursor(String cursor) {
    Map<Integer, Long> bounds = new HashMap<>();
    if (cursor == null || cursor.isBlank()) {
      return bounds;
    }
    for (String part : cursor.split(",", -1)) {
      LetterPosition bound;
      try {
        bound = LetterPosition.parse(part);
      } catch (DeadLetterException e) {
        throw new DeadLetterException(DeadLetterException.Reason.MALFORMED, "a page cursor is a previous page's "
            + "next, <partition>@<offset> separated by commas; got '" + cursor + "'");
      }
      bounds.put(bound.partition(), bound.offset());
    }
    return bounds;
  }

  static String formatCursor(Map<Integer, Long> bounds) {
    return bounds.entrySet().stream().map(bound -> bound.getKey() + "@" + bound.getValue())
        .collect(Collectors.joining(","));
  }

  private static void checkDeadline(long deadline, String what) {
    if (System.nanoTime() > deadline) {
      throw new DeadLetterException(DeadLetterException.Reason.UNAVAILABLE,
          "could not " + what + " within " + TIMEOUT.toSeconds() + " s");
    }
  }

  private static DeadLetterException unavailable(String what, KafkaException e) {
    return new DeadLetterException(DeadLetterException.Reason.UNAVAILABLE, "could not " + what + ": " + e.getMessage(),
        e);
  }

  private Consumer<byte[], byte[]> consumer() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "ledgerstream-dlq-" + clients.incrementAndGet());
    // dead letters are written in the command side's transactions: an aborted one is no letter
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> transactionalProducer() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "ledgerstream-dlq-redrive-" + clients.incrementAndGet());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    // a re-drive takes well under a second; one whose process died holds up the command partition no longer than this
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
