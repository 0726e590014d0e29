package io.ledgerstream.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerstream.domain.Sealed;
import io.ledgerstream.registry.LruCache;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.TopicPolicy;
import io.ledgerstream.streams.TopicSetup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owners' data keys: created on first use, wrapped by the master key and kept in the compacted topic
 * {@value #TOPIC}, which every instance reads to its end, so each learns of the others' keys and of forgotten owners.
 *
 * <p>A key is stored under {@code <owner>/<keyId>} with a random id, and every ciphertext names its key id: two
 * instances that create a key for the same owner at once both succeed, and each value opens with the key it names.
 * Forgetting an owner writes a tombstone for every key of the owner and a {@link Forgetting} record; an instance
 * that reads the record drops (and tombstones again) any key of the owner written before it. Unwrapped keys are
 * cached in memory, at most {@link #CACHE_SIZE}.
 */
public final class KeyRing implements AutoCloseable {

  public static final String TOPIC = "ledger.keys";
  /** Unwrapped data keys kept in memory. */
  public static final int CACHE_SIZE = 10_000;
  /**
   * Compacted, with segments rolled and cleaned within the hour, so a destroyed key's record leaves the log soon after
   * its tombstone; tombstones themselves stay a day, long enough for every instance to read them.
   */
  static final TopicPolicy POLICY = TopicPolicy.COMPACT.tunedWith(Map.of(
      TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()),
      TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()),
      TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01",
      TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(1).toMillis())));
  public static final Topic<String, String> DEFINITION = new Topic<>(TOPIC, Serdes.String(), Serdes.String(), POLICY);

  static final String FORGOTTEN = "forgotten";
  private static final Logger log = LoggerFactory.getLogger(KeyRing.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(3);
  private static final Duration START_WAIT = Duration.ofSeconds(60);

  private final MasterKey master;
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final TopicPartition partition = new TopicPartition(TOPIC, 0);
  /** owner -> keyId -> its wrapped key, in the order the topic holds them; guarded by this. */
  private final Map<String, Map<String, WrappedKey>> wrapped = new HashMap<>();
  /** owner -> the latest forgetting of the owner; guarded by this. */
  private final Map<String, Forgetting> forgotten = new HashMap<>();
  private final LruCache<String, SecretKey> keys = new LruCache<>(CACHE_SIZE);
  /** Key ids looked for after reading the topic to its end and not found: destroyed (ids are never reused). */
  private final LruCache<String, Boolean> gone = new LruCache<>(CACHE_SIZE);
  private final Object progress = new Object();
  private final Thread reader;
  private long catchUps;
  private volatile boolean closed;
  private volatile boolean failed;

  private KeyRing(MasterKey master, Map<String, Object> clientProperties) {
    this.master = master;
    Map<String, Object> producerConfig = new HashMap<>(clientProperties);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    Map<String, Object> consumerConfig = new HashMap<>(clientProperties);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
    reader = new Thread(this::read, "ledger-keys-reader");
    reader.setDaemon(true);
  }

  /** Creates {@value #TOPIC} when missing, reads it to its end and keeps reading it in the background. */
  public static KeyRing open(Admin admin, Map<String, Object> clientProperties, short replicationFactor,
                             MasterKey master) {
    TopicSetup.ensure(admin, List.of(DEFINITION), 1, replicationFactor);
    KeyRing ring = new KeyRing(master, clientProperties);
    ring.reader.start();
    if (!ring.awaitCatchUp(START_WAIT)) {
      ring.close();
      throw new IllegalStateException("could not read " + TOPIC + " to its end within " + START_WAIT.toSeconds()
          + " s");
    }
    return ring;
  }

  /** Encrypts {@code plaintext} as the {@code field} of {@code owner}, under the owner's data key (made if none). */
  public Sealed seal(String owner, String field, byte[] plaintext) {
    WrappedKey current = currentKey(owner);
    SecretKey key = unwrap(current).orElseThrow(() -> new IllegalStateException("the data key " + current.keyId()
        + " was wrapped by master key " + current.masterKeyId() + ", not by this instance's " + master.id()));
    return new Sealed(current.keyId(), Aead.seal(key, fieldData(owner, field, current.keyId()), plaintext));
  }

  /**
   * The plaintext of a sealed {@code field} of {@code owner}; empty when its key was destroyed (the owner was
   * forgotten) or never existed, or when the value does not open under it. Never throws for a missing key.
   */
  public Optional<byte[]> open(String owner, String field, Sealed sealed) {
    Optional<SecretKey> key = key(owner, sealed.keyId());
    if (key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Aead.open(key.get(), fieldData(owner, field, sealed.keyId()), sealed.ciphertext()));
    } catch (AEADBadTagException e) {
      log.warn("A sealed {} under data key {} does not open: it was altered or belongs to another owner or field",
          field, sealed.keyId());
      return Optional.empty();
    }
  }

  /**
   * Destroys every data key of {@code owner} and records who asked; asking again destroys nothing more and answers
   * the first record, unless keys were made for the owner since.
   */
  public Forgetting forget(String owner, String forgottenBy) {
    awaitCatchUp(CATCH_UP_WAIT);
    List<String> keyIds;
    synchronized (this) {
      keyIds = new ArrayList<>(wrapped.getOrDefault(owner, Map.of()).keySet());
      Forgetting earlier = forgotten.get(owner);
      if (keyIds.isEmpty() && earlier != null) {
        return earlier;
      }
    }
    Forgetting forgetting = new Forgetting(owner, forgottenBy, Instant.now(), keyIds.size());
    List<Future<RecordMetadata>> writes = new ArrayList<>();
    keyIds.forEach(keyId -> writes.add(producer.send(new ProducerRecord<>(TOPIC, recordKey(owner, keyId), null))));
    writes.add(producer.send(new ProducerRecord<>(TOPIC, recordKey(owner, FORGOTTEN), json(forgetting))));
    awaitAll(writes, "forget an owner");
    synchronized (this) {
      drop(owner);
      forgotten.put(owner, forgetting);
    }
    log.info("Destroyed {} data key(s) of an owner, as {} asked", keyIds.size(), forgottenBy);
    return forgetting;
  }

  /**
   * Whether the owner's key {@code keyId} is still in {@value #TOPIC}: a value that does not open under a key that
   * exists was not erased but cannot be read here (another master key, or altered bytes).
   */
  public boolean holds(String owner, String keyId) {
    return wrappedKey(owner, keyId) != null;
  }

  /** The latest forgetting of {@code owner}, if it was ever forgotten. */
  public synchronized Optional<Forgetting> forgetting(String owner) {
    return Optional.ofNullable(forgotten.get(owner));
  }

  /**
   * Wraps every data key that {@code from} wrapped again with this ring's master key, rewriting its record; returns how
   * many were rewrapped. Keys wrapped by another master are left as they are.
   */
  public int rewrap(MasterKey from) {
    awaitCatchUp(CATCH_UP_WAIT);
    List<WrappedKey> old;
    synchronized (this) {
      old = wrapped.values().stream().flatMap(byId -> byId.values().stream())
          .filter(key -> key.masterKeyId().equals(from.id())).toList();
    }
    List<Future<RecordMetadata>> writes = new ArrayList<>();
    for (WrappedKey key : old) {
      try {
        byte[] raw = from.unwrap(key.wrappedKey(), wrapData(key.owner(), key.keyId()));
        WrappedKey rewrapped = new WrappedKey(key.owner(), key.keyId(), master.id(),
            master.wrap(raw, wrapData(key.owner(), key.keyId())), key.createdAt());
        writes.add(producer.send(new ProducerRecord<>(TOPIC, recordKey(key.owner(), key.keyId()), json(rewrapped))));
      } catch (AEADBadTagException e) {
        throw new IllegalStateException("data key " + key.keyId() + " names master key " + from.id()
            + " but does not open with it", e);
      }
    }
    awaitAll(writes, "rewrap the data keys");
    return writes.size();
  }

  private WrappedKey currentKey(String owner) {
    synchronized (this) {
      Map<String, WrappedKey> ofOwner = wrapped.get(owner);
      if (ofOwner != null && !ofOwner.isEmpty()) {
        return ofOwner.values().iterator().next();
      }
    }
    // made outside the lock: the write waits for the broker; a key made meanwhile by another thread is as good
    String keyId = UUID.randomUUID().toString();
    SecretKey key = Aead.newKey();
    WrappedKey created = new WrappedKey(owner, keyId, master.id(),
        master.wrap(key.getEncoded(), wrapData(owner, keyId)), Instant.now());
    // durable before any value sealed with it is written anywhere
    awaitAll(List.of(producer.send(new ProducerRecord<>(TOPIC, recordKey(owner, keyId), json(created)))),
        "store a new data key");
    synchronized (this) {
      wrapped.computeIfAbsent(owner, o -> new LinkedHashMap<>()).putIfAbsent(keyId, created);
    }
    keys.put(recordKey(owner, keyId), key);
    return created;
  }

  private Optional<SecretKey> key(String owner, String keyId) {
    String id = recordKey(owner, keyId);
    SecretKey cached = keys.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    if (gone.get(id) != null) {
      return Optional.empty();
    }
    WrappedKey key = wrappedKey(owner, keyId);
    if (key == null) {
      // made by another instance a moment ago, perhaps: read what the topic holds now, then decide
      awaitCatchUp(CATCH_UP_WAIT);
      key = wrappedKey(owner, keyId);
      if (key == null) {
        gone.put(id, Boolean.TRUE);
        return Optional.empty();
      }
    }
    return unwrap(key);
  }

  private synchronized WrappedKey wrappedKey(String owner, String keyId) {
    Map<String, WrappedKey> ofOwner = wrapped.get(owner);
    return ofOwner == null ? null : ofOwner.get(keyId);
  }

  private Optional<SecretKey> unwrap(WrappedKey key) {
    try {
      SecretKey unwrapped = new SecretKeySpec(master.unwrap(key.wrappedKey(), wrapData(key.owner(), key.keyId())),
          "AES");
      keys.put(recordKey(key.owner(), key.keyId()), unwrapped);
      return Optional.of(unwrapped);
    } catch (AEADBadTagException e) {
      log.error("Data key {} was wrapped by master key {} and does not open with this instance's ({}); rewrap the "
          + "keys or give the right --master-key-file", key.keyId(), key.masterKeyId(), master.id());
      return Optional.empty();
    }
  }

  private void read() {
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (!closed) {
        for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
          apply(record);
        }
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        if (consumer.position(partition) >= end) {
          synchronized (progress) {
            catchUps++;
            progress.notifyAll();
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failed = true;
      log.error("Stopped reading {}; keys made or destroyed by other instances are not seen until a restart", TOPIC, e);
    } finally {
      synchronized (progress) {
        progress.notifyAll();
      }
      consumer.close();
    }
  }

  private void apply(ConsumerRecord<String, String> record) {
    String key = record.key();
    int slash = key == null ? -1 : key.lastIndexOf('/');
    if (slash < 0) {
      log.warn("Skipping a record of {} at offset {}: its key is not <owner>/<keyId>", TOPIC, record.offset());
      return;
    }
    String owner = key.substring(0, slash);
    String keyId = key.substring(slash + 1);
    try {
      if (FORGOTTEN.equals(keyId)) {
        if (record.value() != null) {
          forgotten(owner, JSON.readValue(record.value(), Forgetting.class));
        }
      } else if (record.value() == null) {
        synchronized (this) {
          Map<String, WrappedKey> ofOwner = wrapped.get(owner);
          if (ofOwner != null && ofOwner.remove(keyId) != null && ofOwner.isEmpty()) {
            wrapped.remove(owner);
          }
        }
        keys.remove(key);
        gone.put(key, Boolean.TRUE);
      } else {
        WrappedKey wrappedKey = JSON.readValue(record.value(), WrappedKey.class);
        synchronized (this) {
          wrapped.computeIfAbsent(owner, o -> new LinkedHashMap<>()).put(keyId, wrappedKey);
        }
      }
    } catch (JsonProcessingException e) {
      log.warn("Skipping a record of {} at offset {}: {}", TOPIC, record.offset(), e.getOriginalMessage());
    }
  }

  /** Every key of the owner before this record is destroyed, including one another instance made meanwhile. */
  private void forgotten(String owner, Forgetting forgetting) {
    List<String> leftovers;
    synchronized (this) {
      leftovers = new ArrayList<>(wrapped.getOrDefault(owner, Map.of()).keySet());
      drop(owner);
      forgotten.put(owner, forgetting);
    }
    leftovers.forEach(keyId -> producer.send(new ProducerRecord<>(TOPIC, recordKey(owner, keyId), null)));
  }

  private synchronized void drop(String owner) {
    Map<String, WrappedKey> ofOwner = wrapped.remove(owner);
    if (ofOwner != null) {
      ofOwner.keySet().forEach(keyId -> {
        keys.remove(recordKey(owner, keyId));
        gone.put(recordKey(owner, keyId), Boolean.TRUE);
      });
    }
  }

  /** Waits until the reader reached the topic's end in a round that began after this call; false if it did not. */
  private boolean awaitCatchUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      long target = catchUps + 2;
      while (catchUps < target && !closed && !failed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          progress.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return catchUps >= target;
    }
  }

  private static void awaitAll(List<Future<RecordMetadata>> writes, String what) {
    try {
      for (Future<RecordMetadata> write : writes) {
        write.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not " + what + " in " + TOPIC + ": " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  static String recordKey(String owner, String keyId) {
    return owner + "/" + keyId;
  }

  /** Binds a wrapped data key to its owner and id. */
  private static byte[] wrapData(String owner, String keyId) {
    return (TOPIC + "\0" + owner + "\0" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  /** Binds a sealed value to its owner, its field and its key. */
  private static byte[] fieldData(String owner, String field, String keyId) {
    return ("ledgerstream\0" + owner + "\0" + field + "\0" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      reader.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
