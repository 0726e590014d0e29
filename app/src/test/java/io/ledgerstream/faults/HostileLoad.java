package io.ledgerstream.faults;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.streams.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link HostileMix} round after round from a thread of its own, with an ordinary producer as any client
 * could: each round's bait first, waiting until its result is on {@code ledger.command-results}, then the rest.
 */
public final class HostileLoad implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HostileLoad.class);
  private static final Duration BAIT_TIMEOUT = Duration.ofSeconds(60);

  private final HostileMix mix;
  private final Duration every;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<String, CommandResult> results;
  private final List<HostileRecord> sentHostile = new ArrayList<>();
  private final Set<String> answered = new HashSet<>();
  private final AtomicLong failed = new AtomicLong();
  private final Thread thread;
  private volatile boolean running;

  public HostileLoad(Map<String, Object> clientProperties, Topics topics, HostileMix mix, Duration every) {
    this.mix = mix;
    this.every = every;
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    Map<String, Object> consumerProps = new HashMap<>(clientProperties);
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.results = new KafkaConsumer<>(consumerProps, Serdes.String().deserializer(),
        topics.commandResults.valueSerde().deserializer());
    this.thread = new Thread(this::run, "ledger-hostile-load");
    this.thread.setDaemon(true);
  }

  public HostileLoad start() {
    List<TopicPartition> partitions = results.partitionsFor(Topics.COMMAND_RESULTS, Duration.ofSeconds(30)).stream()
        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    results.assign(partitions);
    results.seekToEnd(partitions);
    partitions.forEach(results::position);
    running = true;
    thread.start();
    return this;
  }

  /** Stops after the current round and waits until every record sent so far is acknowledged or failed. */
  public void stop() {
    running = false;
    try {
      thread.join(BAIT_TIMEOUT.plusSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.flush();
  }

  /** The hostile commands the broker acknowledged. */
  public synchronized List<HostileRecord> sent() {
    return List.copyOf(sentHostile);
  }

  public Map<String, Long> mix() {
    return mix.sent();
  }

  public long failed() {
    return failed.get();
  }

  private void run() {
    while (running) {
      HostileMix.Round round = mix.next(System.currentTimeMillis());
      if (sendBait(round)) {
        round.reuses().forEach(this::send);
      } else {
        log.warn("The bait {} was not answered within {}; its reuses are left out of this round", round.baitCommandId(),
            BAIT_TIMEOUT);
      }
      round.honest().forEach(timed -> send(timed.record(), timed.timestamp(), null));
      round.forged().forEach(this::send);
      round.hostile().forEach(this::send);
      FaultCluster.sleep(every);
    }
  }

  private boolean sendBait(HostileMix.Round round) {
    RawRecord bait = round.bait();
    try {
      producer.send(new ProducerRecord<>(bait.topic(), bait.key().get(), bait.value().get())).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | KafkaException e) {
      failed.incrementAndGet();
      return false;
    }
    long deadline = System.nanoTime() + BAIT_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && running) {
      for (ConsumerRecord<String, CommandResult> record : results.poll(Duration.ofMillis(200))) {
        if (record.value() != null) {
          answered.add(record.value().getCommandId());
        }
      }
      if (answered.remove(round.baitCommandId())) {
        return true;
      }
    }
    return false;
  }

  private void send(HostileRecord hostile) {
    send(hostile.record(), null, hostile);
  }

  private void send(RawRecord record, Long timestamp, HostileRecord hostile) {
    try {
      producer.send(new ProducerRecord<>(record.topic(), null, timestamp, record.key().get(), record.value().get()),
          (metadata, exception) -> {
            if (exception != null) {
              failed.incrementAndGet();
              log.warn("Could not send {}: {}", record, exception.toString());
            } else if (hostile != null) {
              synchronized (this) {
                sentHostile.add(hostile);
              }
            }
          });
    } catch (KafkaException e) {
      failed.incrementAndGet();
      log.warn("Could not send {}: {}", record, e.toString());
    }
  }

  @Override
  public void close() {
    if (running) {
      stop();
    }
    producer.close(Duration.ofSeconds(10));
    results.close(Duration.ofSeconds(5));
  }
}
