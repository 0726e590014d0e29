package io.ledgerstream.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.TopicPolicy;
import io.ledgerstream.streams.TopicSetup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every re-drive ever made, in the compacted topic {@value #TOPIC}: one JSON {@link Redrive} keyed by the letter's
 * position, written in the same transaction as the re-driven copy, so a letter counts as re-driven exactly when its
 * copy was committed. A compacted topic rather than local state, so that every instance and the CLI agree, and a
 * restart forgets nothing.
 */
final class RedriveLog {

  static final String TOPIC = "ledger.dlq.redrives";
  static final Topic<String, String> DEFINITION = new Topic<>(TOPIC, Serdes.String(), Serdes.String(),
      TopicPolicy.COMPACT);

  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Duration POLL = Duration.ofMillis(100);

  private RedriveLog() {
  }

  /** Creates the topic when missing: one partition, compacted, so a re-drive record is kept as long as the topic. */
  static void ensure(Admin admin, short replicationFactor) {
    TopicSetup.ensure(admin, List.of(DEFINITION), 1, replicationFactor);
  }

  /** Every committed re-drive, by letter, read from the beginning to the current end. */
  static Map<LetterPosition, Redrive> readAll(Consumer<byte[], byte[]> consumer, Duration timeout) {
    List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, timeout).stream()
        .map(info -> new TopicPartition(TOPIC, info.partition()))
        .toList();
    Map<LetterPosition, Redrive> redrives = new HashMap<>();
    if (partitions.isEmpty()) {
      return redrives;
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (partitions.stream().anyMatch(partition -> consumer.position(partition, timeout) < ends.get(partition))) {
      if (System.nanoTime() > deadline) {
        throw new DeadLetterException(DeadLetterException.Reason.UNAVAILABLE,
            "could not read " + TOPIC + " to its end within " + timeout.toSeconds() + " s");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (record.key() == null) {
          continue;
        }
        LetterPosition letter = LetterPosition.parse(new String(record.key(), StandardCharsets.UTF_8));
        if (record.value() == null) {
          redrives.remove(letter);
        } else {
          redrives.put(letter, parse(record.value()));
        }
      }
    }
    return redrives;
  }

  static ProducerRecord<byte[], byte[]> record(Redrive redrive) {
    return new ProducerRecord<>(TOPIC, redrive.letter().getBytes(StandardCharsets.UTF_8), json(redrive));
  }

  static byte[] json(Redrive redrive) {
    try {
      return JSON.writeValueAsBytes(redrive);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a re-drive as JSON", e);
    }
  }

  static Redrive parse(byte[] json) {
    try {
      return JSON.readValue(json, Redrive.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(TOPIC + " holds a record that is not a re-drive: "
          + new String(json, StandardCharsets.UTF_8), e);
    }
  }
}
