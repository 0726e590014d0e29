package io.ledgerstream.http;

import io.ledgerstream.streams.AggregateType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a subscription stands in the event store: for every partition of every type's events topic, the offset of
 * the next record to read. Its text form is the SSE event id, e.g. {@code a.15.7.0.0.0.0_t.3.0.0.0.0.0} (each type's
 * tag with its topic's offsets in partition order, the types in their registered order), made only of characters
 * that need no escaping in a header or a URL.
 */
final class StreamPosition {

  /** The events topics a position covers, in order, and the tag each goes by in the text form. */
  record Layout(Map<String, String> tagByTopic) {

    static Layout of(List<AggregateType<?, ?, ?>> types) {
      Map<String, String> tags = new LinkedHashMap<>();
      types.forEach(type -> tags.put(type.eventsTopic(), type.tag()));
      return new Layout(tags);
    }

    List<String> topics() {
      return List.copyOf(tagByTopic.keySet());
    }

    private String topicOf(String tag) {
      return tagByTopic.entrySet().stream().filter(entry -> entry.getValue().equals(tag)).map(Map.Entry::getKey)
          .findFirst().orElse(null);
    }
  }

  static final int MAX_TEXT_LENGTH = 4096;
  private static final long UNKNOWN = -1;

  private final Layout layout;
  private final Map<String, long[]> offsets = new LinkedHashMap<>();

  private StreamPosition(Layout layout) {
    this.layout = layout;
  }

  /** A position that knows no partition yet. */
  static StreamPosition empty(Layout layout) {
    StreamPosition position = new StreamPosition(layout);
    layout.topics().forEach(topic -> position.offsets.put(topic, new long[0]));
    return position;
  }

  /** Reads a position this API issued; throws {@link IllegalArgumentException} saying what is wrong otherwise. */
  static StreamPosition parse(String text, Layout layout) {
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException("it is longer than " + MAX_TEXT_LENGTH + " characters");
    }
    StreamPosition position = empty(layout);
    for (String part : text.split("_", -1)) {
      String[] fields = part.split("\\.", -1);
      String topic = layout.topicOf(fields[0]);
      if (topic == null) {
        throw new IllegalArgumentException("'" + fields[0] + "' names no events topic (expected one of "
            + layout.tagByTopic().values() + ")");
      }
      long[] parsed = new long[fields.length - 1];
      for (int partition = 0; partition < parsed.length; partition++) {
        parsed[partition] = offset(fields[partition + 1]);
      }
      position.offsets.put(topic, parsed);
    }
    return position;
  }

  private static long offset(String text) {
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("'" + text + "' is not an offset");
    }
    return Long.parseLong(text);
  }

  /** The next offset to read in this partition, or -1 when the position does not cover it. */
  long offset(TopicPartition partition) {
    long[] topic = offsets.get(partition.topic());
    return topic == null || partition.partition() >= topic.length ? UNKNOWN : topic[partition.partition()];
  }

  void set(TopicPartition partition, long nextOffset) {
    long[] topic = offsets.get(partition.topic());
    if (partition.partition() >= topic.length) {
      topic = Arrays.copyOf(topic, partition.partition() + 1);
      offsets.put(partition.topic(), topic);
    }
    topic[partition.partition()] = nextOffset;
  }

  String format() {
    StringJoiner text = new StringJoiner("_");
    offsets.forEach((topic, next) -> {
      StringBuilder part = new StringBuilder(layout.tagByTopic().get(topic));
      for (long offset : next) {
        part.append('.').append(offset);
      }
      text.add(part);
    });
    return text.toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
