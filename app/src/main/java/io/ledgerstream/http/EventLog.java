package io.ledgerstream.http;

import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.streams.AggregateTopics;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.privacy.PersonalData;
import io.ledgerstream.streams.RecordJson;
import io.ledgerstream.streams.Topics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The event store topics as live subscriptions read them: each reader gets a consumer of its own that belongs to no
 * group and sees committed events only, so any instance can serve any subscription.
 */
public final class EventLog {

  private final Map<String, Object> clientProperties;
  private final Map<String, AggregateTopics<?, ?, ?>> byTopic = new LinkedHashMap<>();
  private final AtomicLong readers = new AtomicLong();

  /** The event store of every aggregate type of {@code topics}. */
  public EventLog(Map<String, ?> clientProperties, Topics topics) {
    this.clientProperties = Map.copyOf(clientProperties);
    topics.aggregates().forEach(aggregate -> byTopic.put(aggregate.events().name(), aggregate));
  }

  /** One event of any aggregate type, decoded. */
  record Event(String aggregateType, EventMetadata metadata, SpecificRecord record) {

    /** What a subscriber receives: the event with its metadata, and its aggregate type. */
    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("aggregateType", aggregateType);
      json.putAll(RecordJson.toMap(record, PersonalData.View.OPENED));
      return json;
    }
  }

  Consumer<String, byte[]> consumer() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "ledgerstream-event-stream-" + readers.incrementAndGet());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // a position the log no longer holds (or never held) restarts at the oldest event rather than skipping any
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The aggregate type whose events a topic holds, or null for a topic that is no events topic. */
  String typeOf(String topic) {
    AggregateTopics<?, ?, ?> aggregate = byTopic.get(topic);
    return aggregate == null ? null : aggregate.type().name();
  }

  /** Decodes a value of one of the events topics. */
  Event decode(String topic, byte[] value) {
    AggregateTopics<?, ?, ?> aggregate = byTopic.get(topic);
    if (aggregate == null) {
      throw new IllegalArgumentException("not an events topic: " + topic);
    }
    SpecificRecord event = aggregate.events().valueSerde().deserializer().deserialize(topic, value);
    return new Event(aggregate.type().name(), Envelope.eventMetadata(event), event);
  }
}
