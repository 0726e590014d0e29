package io.ledgerstream.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be turned into bytes or back, for a {@link Reason} that lies in the record
 * itself (or its schema), so retrying will not help: deserialization failures are poison input.
 * Registry outages are not reported this way but as {@link RegistryUnavailableException}.
 */
public final class AvroSerdeException extends SerializationException {

  /** What was wrong. */
  public enum Reason {
    /** The first byte is not the Confluent wire format's magic byte 0. */
    WRONG_MAGIC_BYTE,
    /** Empty, shorter than the 5-byte header, or the Avro data ends early. */
    TRUNCATED,
    /** The schema id in the header is not known to the registry. */
    UNKNOWN_SCHEMA_ID,
    /** The writer schema cannot be resolved to the reader's class. */
    INCOMPATIBLE_WRITER_SCHEMA,
    /** The Avro data does not decode with the writer schema. */
    MALFORMED_AVRO,
    /** Bytes remain after the Avro record. */
    TRAILING_BYTES,
    /** The record decoded, but the function that brings it to its newest shape (an upcaster) failed on it. */
    UPCAST_FAILED,
    /** Serializing with auto-registration off, and the schema is not registered under the subject. */
    SCHEMA_NOT_REGISTERED,
    /** Serializing with auto-registration on, and the registry refused the schema. */
    SCHEMA_REJECTED,
    /** The record does not conform to its own schema (a null in a required field, say). */
    INVALID_RECORD
  }

  private final Reason reason;

  public AvroSerdeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public AvroSerdeException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
