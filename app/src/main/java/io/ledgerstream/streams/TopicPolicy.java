package io.ledgerstream.streams;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/** The cleanup and retention a topic must have; checked against the broker at start-up. */
public record TopicPolicy(String cleanupPolicy, long retentionMs) {

  /** Kept for ever: the event store. */
  public static final TopicPolicy RETAIN_FOREVER = new TopicPolicy(TopicConfig.CLEANUP_POLICY_DELETE, -1);

  /** Latest value per key: snapshots. */
  public static final TopicPolicy COMPACT = new TopicPolicy(TopicConfig.CLEANUP_POLICY_COMPACT, -1);

  public static TopicPolicy delete(Duration retention) {
    return new TopicPolicy(TopicConfig.CLEANUP_POLICY_DELETE, retention.toMillis());
  }

  public static TopicPolicy compactDelete(Duration retention) {
    return new TopicPolicy(TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE, retention.toMillis());
  }

  /** Topic configs to create the topic with. */
  public Map<String, String> configs() {
    return cleanupPolicy.equals(TopicConfig.CLEANUP_POLICY_COMPACT)
        ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy)
        : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
             TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
  }

  /** Whether a topic's actual cleanup.policy value is this policy's (order of "compact,delete" ignored). */
  public boolean cleanupMatches(String actual) {
    return normalise(cleanupPolicy).equals(normalise(actual));
  }

  private static java.util.Set<String> normalise(String policy) {
    return java.util.Arrays.stream(policy.split(",")).map(String::trim).collect(java.util.stream.Collectors.toSet());
  }
}
