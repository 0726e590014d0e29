package io.ledgerstream.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link CommandMix} at a steady rate from a thread of its own, with a poison record every so often, through
 * an idempotent producer as any client would; what was sent is what the verifier later finds on the topics.
 */
public final class LedgerLoad implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerLoad.class);

  private final CommandMix mix;
  private final PoisonMix poison;
  private final double perSecond;
  private final int poisonEvery;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Random random = new Random();
  private final List<PoisonRecord> injected = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread thread;
  private volatile boolean running;

  /**
   * @param perSecond commands per second
   * @param poisonEvery one poison record after this many commands; 0 for none
   */
  public LedgerLoad(Map<String, Object> clientProperties, CommandMix mix, PoisonMix poison, double perSecond,
                    int poisonEvery) {
    this.mix = mix;
    this.poison = poison;
    this.perSecond = perSecond;
    this.poisonEvery = poisonEvery;
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.thread = new Thread(this::run, "ledger-load");
    this.thread.setDaemon(true);
  }

  public LedgerLoad start() {
    running = true;
    thread.start();
    return this;
  }

  /** Sends one poison record of the given kind now, keyed by one of the run's accounts. */
  public void inject(Function<String, PoisonRecord> kind) {
    send(kind.apply(mix.anyAccountOrNew()));
  }

  /** Stops sending and waits until every record sent so far is acknowledged or failed. */
  public void stop() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.flush();
  }

  /** The honest mix this load sends, whose accounts a hostile client aims at. */
  public CommandMix commands() {
    return mix;
  }

  public long sent() {
    return sent.get();
  }

  /** Sends the producer gave up on; the verifier reads what reached the topics, so these only explain a short run. */
  public long failed() {
    return failed.get();
  }

  /** The poison records the broker acknowledged. */
  public synchronized List<PoisonRecord> injected() {
    return List.copyOf(injected);
  }

  public Map<String, Long> mix() {
    return mix.sent();
  }

  private void run() {
    long intervalNanos = (long) (1_000_000_000L / perSecond);
    long next = System.nanoTime();
    long count = 0;
    while (running) {
      send(mix.next(), null);
      count++;
      if (poisonEvery > 0 && count % poisonEvery == 0) {
        send(poison.any(mix.anyAccountOrNew(), random));
      }
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        sleepNanos(wait);
      } else if (-wait > 1_000_000_000L) {
        // a broker outage blocked the producer: carry on at the rate rather than catching up in a burst
        next = System.nanoTime();
      }
    }
  }

  private void send(PoisonRecord record) {
    send(record.record(), record);
  }

  private void send(RawRecord record, PoisonRecord poisonRecord) {
    ProducerRecord<byte[], byte[]> producerRecord = new ProducerRecord<>(record.topic(), record.key().get(),
        record.value().get());
    try {
      producer.send(producerRecord, (metadata, exception) -> {
        if (exception != null) {
          failed(record, exception);
        } else if (poisonRecord != null) {
          synchronized (this) {
            injected.add(poisonRecord);
          }
        }
      });
      sent.incrementAndGet();
    } catch (KafkaException e) {
      // no metadata within max.block.ms while the broker is down: the record never left
      failed(record, e);
    }
  }

  private void failed(RawRecord record, Exception exception) {
    failed.incrementAndGet();
    log.warn("Could not send {}: {}", record, exception.toString());
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (running) {
      stop();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
