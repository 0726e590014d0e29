package io.ledgerstream.dlq;

import io.ledgerstream.streams.PoisonRecordHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One record of the dead-letter topic: the original key, value and headers, plus the {@code __streams.errors.*}
 * headers saying where it came from and why it could not be processed, and its re-drive if it had one.
 *
 * @param redrive null until the letter is re-driven
 */
public record DeadLetter(LetterPosition position, Instant timestamp, byte[] key, byte[] value, List<Header> headers,
                         Redrive redrive) {

  /** The prefix of the headers the dead-lettering adds; a re-driven copy goes without them. */
  public static final String ERROR_HEADER_PREFIX = "__streams.errors.";

  /** One record header, in the order the record carries them. */
  public record Header(String name, byte[] value) {
  }

  public DeadLetter {
    headers = List.copyOf(headers);
  }

  static DeadLetter of(ConsumerRecord<byte[], byte[]> record, Redrive redrive) {
    List<Header> headers = new java.util.ArrayList<>();
    record.headers().forEach(header -> headers.add(new Header(header.key(), header.value())));
    return new DeadLetter(new LetterPosition(record.partition(), record.offset()),
        Instant.ofEpochMilli(record.timestamp()), record.key(), record.value(), headers, redrive);
  }

  DeadLetter withRedrive(Redrive done) {
    return new DeadLetter(position, timestamp, key, value, headers, done);
  }

  /** The topic the record was read from when it failed; empty for a record someone else put here. */
  public Optional<String> originTopic() {
    return header(PoisonRecordHandler.HEADER_TOPIC);
  }

  public Optional<String> originPartition() {
    return header(PoisonRecordHandler.HEADER_PARTITION);
  }

  public Optional<String> originOffset() {
    return header(PoisonRecordHandler.HEADER_OFFSET);
  }

  /** The class of the exception that made it a dead letter. */
  public Optional<String> exception() {
    return header(PoisonRecordHandler.HEADER_EXCEPTION);
  }

  public Optional<String> message() {
    return header(PoisonRecordHandler.HEADER_MESSAGE);
  }

  public Optional<String> stackTrace() {
    return header(PoisonRecordHandler.HEADER_STACKTRACE);
  }

  /** The letter this one is a re-driven copy of, when its record failed again after a re-drive. */
  public Optional<String> redrivenFrom() {
    return header(DeadLetters.REDRIVEN_FROM_HEADER);
  }

  /** The last value of a header as UTF-8, if the letter has it. */
  public Optional<String> header(String name) {
    String found = null;
    for (Header header : headers) {
      if (header.name().equals(name) && header.value() != null) {
        found = new String(header.value(), StandardCharsets.UTF_8);
      }
    }
    return Optional.ofNullable(found);
  }

  /** The headers the original record had: all but the ones the dead-lettering added. */
  RecordHeaders originalHeaders() {
    RecordHeaders original = new RecordHeaders();
    headers.stream().filter(header -> !header.name().startsWith(ERROR_HEADER_PREFIX))
        .forEach(header -> original.add(header.name(), header.value()));
    return original;
  }
}
