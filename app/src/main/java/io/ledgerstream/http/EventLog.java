package io.ledgerstream.http;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.TransferEvent;
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
  private final Topics topics;
  private final AtomicLong readers = new AtomicLong();

  public EventLog(Map<String, ?> clientProperties, Topics topics) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.topics = topics;
  }

  /** One event of either aggregate type, decoded. */
  record Event(String aggregateType, EventMetadata metadata, SpecificRecord record) {

    /** What a subscriber receives: the event with its metadata, and its aggregate type. */
    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("aggregateType", aggregateType);
      json.putAll(RecordJson.toMap(record));
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

  /** Decodes a value of one of the events topics. */
  Event decode(String topic, byte[] value) {
    if (topic.equals(Topics.ACCOUNT_EVENTS)) {
      AccountEvent event = topics.accountEvents.valueSerde().deserializer().deserialize(topic, value);
      return new Event(EventFilter.AGGREGATE_TYPES.get(topic), event.getMetadata(), event);
    }
    if (topic.equals(Topics.TRANSFER_EVENTS)) {
      TransferEvent event = topics.transferEvents.valueSerde().deserializer().deserialize(topic, value);
      return new Event(EventFilter.AGGREGATE_TYPES.get(topic), event.getMetadata(), event);
    }
    throw new IllegalArgumentException("not an events topic: " + topic);
  }
}
