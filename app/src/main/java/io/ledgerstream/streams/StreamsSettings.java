package io.ledgerstream.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/** Kafka Streams settings shared by the project's applications. */
public final class StreamsSettings {

  public static final String COMMAND_SIDE_APPLICATION_ID = "ledgerstream-commands";
  public static final String PROJECTIONS_APPLICATION_ID = "ledgerstream-projections";
  /**
   * How often the command side commits. A public command's event is readable three commits after the command (the
   * claim request, the verdict, the command run), so the interval is most of a command's latency; 30 ms rather than
   * Kafka Streams' 100 halves it at no throughput measurable here (BENCHMARKS.md).
   */
  public static final Duration COMMAND_SIDE_COMMIT_INTERVAL = Duration.ofMillis(30);
  /** How often a serving projections generation commits: one commit stands between an event and its query. */
  public static final Duration PROJECTIONS_COMMIT_INTERVAL = Duration.ofMillis(100);
  /** How often a catching-up projections generation commits. */
  public static final Duration CATCH_UP_COMMIT_INTERVAL = Duration.ofSeconds(5);
  /** How often the projections look whether a warmed-up instance can take over tasks: the least Kafka Streams allows. */
  public static final Duration PROBING_REBALANCE_INTERVAL = Duration.ofMinutes(1);
  /** The record cache of a catching-up generation, on the heap, shared by its stream threads. */
  public static final long CATCH_UP_CACHE_BYTES = 64L * 1024 * 1024;
  /**
   * The largest memtable of one store while a generation catches up: every store of it is written all the time, and
   * with 1 MiB memtables the history and correlation entries, written once per event, flushed a file a megabyte and
   * every event's check for a replay read through the many files that made (1M events rebuilt at 24k events/s, 27k
   * with 8 MiB). The write buffer manager still holds all memtables to half of {@code --state-memory}.
   */
  public static final long CATCH_UP_WRITE_BUFFER_BYTES = 8L * 1024 * 1024;
  /**
   * Records a restore takes per poll of its changelogs, instead of Kafka Streams' 1,000: the state updater then spends
   * less of its time between polls, and a store restored from scratch came back about a quarter faster (BENCHMARKS.md).
   */
  public static final int RESTORE_POLL_RECORDS = 10_000;

  private StreamsSettings() {
  }

  /**
   * Exactly-once settings where poison records go to the dead-letter topic and processing goes on, while an exception
   * inside a processor fails the task ({@link FailTaskHandler}): a transient failure is retried from the last commit
   * and never commits half a command or dead-letters a valid one.
   *
   * @param clientProperties bootstrap servers and any client property (SASL, TLS) from the user's configuration
   */
  public static Properties exactlyOnce(String applicationId, Map<String, ?> clientProperties, Path stateDir) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonRecordHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, FailTaskHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMAND_SIDE_COMMIT_INTERVAL.toMillis());
    // no task needs its topics interleaved by time: every view folds one topic's records in that topic's order, and
    // an aggregate orders its public commands itself (ClaimQueue) and runs the application's as they come; without
    // idling Kafka Streams also stops formatting a log line per check of an empty partition, which cost a tenth of
    // the command side's and of a rebuild's stream thread
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.putIfAbsent(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), RESTORE_POLL_RECORDS);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, StateMemory.class);
    props.putIfAbsent(StateMemory.BUDGET_CONFIG, StateMemory.DEFAULT_BUDGET_BYTES);
    return props;
  }

  /**
   * Exactly-once settings for the projections: poison records are logged and skipped but never dead-lettered,
   * since the command side already dead-letters what it cannot read and a second copy would confuse operators. An
   * exception inside a projection is logged and the event skipped, as before: the projections can be rebuilt from the
   * log, and their folds have not been audited for exceptions a given event always raises.
   *
   * @param applicationId {@link #PROJECTIONS_APPLICATION_ID}, or another id to rebuild the projections beside it
   */
  public static Properties projections(String applicationId, Map<String, ?> clientProperties, Path stateDir) {
    Properties props = exactlyOnce(applicationId, clientProperties, stateDir);
    if (!clientProperties.containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)) {
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, PROJECTIONS_COMMIT_INTERVAL.toMillis());
    }
    props.remove(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
    // each partition's task holds every view of it, so an instance that restarts after losing its state warms up
    // whole tasks; it takes them over at the next probing rebalance once caught up: within a minute, not ten
    props.put(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, PROBING_REBALANCE_INTERVAL.toMillis());
    return props;
  }

  /**
   * The projections' settings while a generation catches up with the logs and serves no query: transactions of
   * {@link #CATCH_UP_COMMIT_INTERVAL} and a larger record cache, so a hot key (a currency's totals, a counter, an
   * account's summary) is written to its store and changelog once per commit rather than once per event. Kafka
   * Streams cannot change the commit interval of a running application, so a generation that starts to serve is
   * restarted with {@link #projections}.
   */
  public static Properties projectionsCatchingUp(String applicationId, Map<String, ?> clientProperties,
                                                 Path stateDir) {
    return projectionsCatchingUp(applicationId, clientProperties, stateDir, CATCH_UP_COMMIT_INTERVAL);
  }

  /** {@link #projectionsCatchingUp(String, Map, Path)} committing every {@code commitInterval}. */
  public static Properties projectionsCatchingUp(String applicationId, Map<String, ?> clientProperties,
                                                 Path stateDir, Duration commitInterval) {
    Properties props = projections(applicationId, clientProperties, stateDir);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, CATCH_UP_CACHE_BYTES);
    props.put(StateMemory.WRITE_BUFFER_CONFIG, CATCH_UP_WRITE_BUFFER_BYTES);
    // a transaction must outlive the commit interval with room to spare
    props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        (int) Math.max(CATCH_UP_COMMIT_INTERVAL.toMillis(), commitInterval.toMillis()) * 6);
    return props;
  }
}
