package io.ledgerstream.streams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Who holds a command id: the aggregate the first command under it was for and a hash of what it asked. Another
 * command under the same id is the same command (a retry) only when both match.
 *
 * @param aggregateType the registered type's name
 * @param aggregateId the aggregate's id
 * @param payloadHash {@link #hash} of the command's payload
 * @param claimedAt when the claiming command was written (broker time)
 */
record Claim(String aggregateType, String aggregateId, String payloadHash, long claimedAt) {

  private static final String SEPARATOR = "\u0000";

  boolean sameCommand(Claim other) {
    return aggregateType.equals(other.aggregateType) && aggregateId.equals(other.aggregateId)
        && payloadHash.equals(other.payloadHash);
  }

  /**
   * SHA-256 over the payload's record name and its Avro binary encoding in the current schema: equal payloads hash
   * equal whichever schema version a client wrote them with, and two payload types with the same fields do not.
   */
  static String hash(SpecificRecord payload) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(payload.getSchema().getFullName().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
      new SpecificDatumWriter<SpecificRecord>(payload.getSchema()).write(payload, encoder);
      encoder.flush();
      return HexFormat.of().formatHex(digest.digest(bytes.toByteArray()));
    } catch (NoSuchAlgorithmException | IOException e) {
      // every JVM has SHA-256, and the encoder writes to memory
      throw new IllegalStateException("cannot hash a command payload", e);
    }
  }

  /** The stored form; the aggregate id comes last, so it may hold any character. Stored: never change it. */
  String encode() {
    return String.join(SEPARATOR, aggregateType, payloadHash, Long.toString(claimedAt), aggregateId);
  }

  static Claim decode(String stored) {
    String[] parts = stored.split(SEPARATOR, 4);
    return new Claim(parts[0], parts[3], parts[1], Long.parseLong(parts[2]));
  }
}
