package io.ledgerstream.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The cleanup and retention a topic must have, and whether the broker stamps its records; checked against the broker
 * at start-up.
 *
 * @param brokerTime records carry the broker's append time ({@code message.timestamp.type=LogAppendTime}), never the
 *     producer's: the command topics, so the time a command was processed is the ledger's, not the client's
 * @param tuning further topic configs the topic is created with (compaction timing, for example); not checked later
 */
public record TopicPolicy(String cleanupPolicy, long retentionMs, boolean brokerTime, Map<String, String> tuning) {

  /** Kept for ever: the event store. */
  public static final TopicPolicy RETAIN_FOREVER = new TopicPolicy(TopicConfig.CLEANUP_POLICY_DELETE, -1, false);

  /** Latest value per key: snapshots. */
  public static final TopicPolicy COMPACT = new TopicPolicy(TopicConfig.CLEANUP_POLICY_COMPACT, -1, false);

  static final String BROKER_TIME = "LogAppendTime";

  public TopicPolicy {
    tuning = Map.copyOf(tuning);
  }

  public TopicPolicy(String cleanupPolicy, long retentionMs, boolean brokerTime) {
    this(cleanupPolicy, retentionMs, brokerTime, Map.of());
  }

  public static TopicPolicy delete(Duration retention) {
    return new TopicPolicy(TopicConfig.CLEANUP_POLICY_DELETE, retention.toMillis(), false);
  }

  public static TopicPolicy compactDelete(Duration retention) {
    return new TopicPolicy(TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
        retention.toMillis(), false);
  }

  /** This policy with the broker's append time as every record's timestamp. */
  public TopicPolicy stampedByBroker() {
    return new TopicPolicy(cleanupPolicy, retentionMs, true, tuning);
  }

  /** This policy with further topic configs to create the topic with. */
  public TopicPolicy tunedWith(Map<String, String> configs) {
    Map<String, String> all = new HashMap<>(tuning);
    all.putAll(configs);
    return new TopicPolicy(cleanupPolicy, retentionMs, brokerTime, all);
  }

  /** Topic configs to create the topic with. */
  public Map<String, String> configs() {
    Map<String, String> configs = new HashMap<>(tuning);
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
    if (!cleanupPolicy.equals(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
    }
    if (brokerTime) {
      configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, BROKER_TIME);
    }
    return Map.copyOf(configs);
  }

  /** Whether a topic's actual cleanup.policy value is this policy's (order of "compact,delete" ignored). */
  public boolean cleanupMatches(String actual) {
    return normalise(cleanupPolicy).equals(normalise(actual));
  }

  private static java.util.Set<String> normalise(String policy) {
    return java.util.Arrays.stream(policy.split(",")).map(String::trim).collect(java.util.stream.Collectors.toSet());
  }
}
