package io.ledgerstream.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's subscription to the event store: a consumer of its own, positioned where the client asked, reads every
 * partition of every events topic on its own thread and hands the matching events to the client's writer through a
 * bounded buffer. Each event carries the position right after it, so a client resuming there misses and repeats
 * nothing.
 */
final class EventSubscription implements AutoCloseable {

  /** What the writer gets next: an event to send, or the end of the subscription. */
  sealed interface Next permits Delivery, End {
  }

  /** An event as JSON, and its id: the stream's position right after it. */
  record Delivery(String id, byte[] json) implements Next {
  }

  enum End implements Next {
    /** The buffer stayed full: the client reads slower than events come and must reconnect. */
    OVERFLOW,
    /** The event store could not be read; the client may reconnect. */
    FAILED
  }

  /** How long a full buffer waits for the client before the subscription gives up on it. */
  static final Duration PATIENCE = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
  private static final AtomicLong READERS = new AtomicLong();
  private static final Logger log = LoggerFactory.getLogger(EventSubscription.class);

  private final EventLog events;
  private final Consumer<String, byte[]> consumer;
  private final EventFilter filter;
  private final Predicate<EventLog.Event> scope;
  private final StreamPosition position;
  private final String startId;
  private final DeliveryBuffer buffer;
  private final Runnable onOverflow;
  private final Thread reader;
  private volatile boolean running = true;
  private volatile End end;

  private EventSubscription(EventLog events, Consumer<String, byte[]> consumer, EventFilter filter,
                            Predicate<EventLog.Event> scope, StreamPosition position, int bufferEvents,
                            int bufferBytes, Runnable onOverflow) {
    this.events = events;
    this.consumer = consumer;
    this.filter = filter;
    this.scope = scope;
    this.position = position;
    this.startId = position.format();
    this.buffer = new DeliveryBuffer(bufferEvents, bufferBytes);
    this.onOverflow = onOverflow;
    this.reader = new Thread(this::read, "event-stream-" + READERS.incrementAndGet());
    reader.setDaemon(true);
  }

  /**
   * Positions a new consumer: right after {@code resumeFrom} when given (partitions it does not cover from their
   * start), else at the start of the log or at its end. A 503 problem when the event store cannot be reached.
   *
   * @param scope the events the subscriber may see (a token scoped to an owner sees its owner's only); asked after
   *     {@code filter}, on the subscription's own thread, and may take a while
   * @param bufferEvents how many events the buffer holds at most
   * @param bufferBytes how many bytes of events the buffer holds at most
   * @param onOverflow runs when the subscription gives up on a client that left its buffer full
   */
  static EventSubscription open(EventLog events, StreamPosition.Layout layout, EventFilter filter,
                                Predicate<EventLog.Event> scope, StreamPosition resumeFrom, boolean fromBeginning,
                                int bufferEvents, int bufferBytes, Runnable onOverflow) {
    Consumer<String, byte[]> consumer = events.consumer();
    try {
      List<TopicPartition> partitions = partitions(consumer, layout);
      consumer.assign(partitions);
      if (resumeFrom != null) {
        for (TopicPartition partition : partitions) {
          long next = resumeFrom.offset(partition);
          if (next >= 0) {
            consumer.seek(partition, next);
          } else {
            consumer.seekToBeginning(List.of(partition));
          }
        }
      } else if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      // resolving every position now, not at the first poll, is what makes events committed from here on arrive
      StreamPosition start = StreamPosition.empty(layout);
      for (TopicPartition partition : partitions) {
        start.set(partition, consumer.position(partition, METADATA_TIMEOUT));
      }
      return new EventSubscription(events, consumer, filter, scope, start, bufferEvents, bufferBytes, onOverflow);
    } catch (KafkaException e) {
      consumer.close(Duration.ZERO);
      throw Problem.unavailable("the event store cannot be read right now (" + e.getMessage() + "); retry shortly");
    }
  }

  private static List<TopicPartition> partitions(Consumer<String, byte[]> consumer, StreamPosition.Layout layout) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : layout.topics()) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        throw new KafkaException("topic " + topic + " has no partitions");
      }
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    return partitions;
  }

  /** The id of the position the subscription started at. */
  String startId() {
    return startId;
  }

  void start() {
    reader.start();
  }

  /** The next event or the end, waiting up to {@code wait}; null when there is nothing yet. */
  Next next(Duration wait) throws InterruptedException {
    Delivery delivery = buffer.poll(wait);
    if (delivery != null) {
      return delivery;
    }
    // the end is set after the last delivery was buffered, so it counts only once the buffer is drained
    End ended = end;
    return ended != null && buffer.isEmpty() ? ended : null;
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          position.set(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
          if (record.value() == null || !filter.mayMatch(events.typeOf(record.topic()), record.key())) {
            continue;
          }
          EventLog.Event event = decode(record);
          if (event != null && filter.matches(event.metadata()) && scope.test(event)
              && !hand(new Delivery(position.format(), Json.bytes(event.toJson())))) {
            return;
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (running) {
        log.warn("Event stream reader stopped: {}", e.toString());
        end = End.FAILED;
      }
    } finally {
      closeConsumer();
    }
  }

  /** Buffers a delivery; false when the client left the buffer full for too long, or the subscription closed. */
  private boolean hand(Delivery delivery) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (running) {
      if (buffer.offer(delivery, POLL)) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        end = End.OVERFLOW;
        onOverflow.run();
        return false;
      }
    }
    return false;
  }

  private EventLog.Event decode(ConsumerRecord<String, byte[]> record) {
    try {
      return events.decode(record.topic(), record.value());
    } catch (RuntimeException e) {
      // only the command side writes these topics; a record it did not write is skipped, not fatal to the stream
      log.warn("Skipping undecodable event at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
          e.toString());
      return null;
    }
  }

  /** Stops reading and closes the consumer; waits a moment for the reader to finish. */
  @Override
  public void close() {
    running = false;
    if (scope instanceof ScopedEvents scoped) {
      scoped.close();
    }
    if (reader.isAlive()) {
      consumer.wakeup();
      try {
        reader.join(PATIENCE.toMillis() + POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (reader.getState() == Thread.State.NEW) {
      closeConsumer();
    }
  }

  private void closeConsumer() {
    try {
      consumer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      log.debug("Closing an event stream consumer: {}", e.toString());
    }
  }
}
