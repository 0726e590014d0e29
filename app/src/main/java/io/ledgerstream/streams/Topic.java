package io.ledgerstream.streams;

import org.apache.kafka.common.serialization.Serde;

/** A topic of the contract: its name, how its keys and values are encoded, and its retention. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, TopicPolicy policy) {

  /** The Confluent topic-name-strategy subject of this topic's values. */
  public String valueSubject() {
    return name + "-value";
  }
}
