package io.ledgerstream.privacy;

import io.ledgerstream.avro.SealedHolder;
import io.ledgerstream.domain.Sealed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sealed personal data as the ledger writes and shows it. A record of type {@link SealedHolder} is personal data of
 * the owner named by the {@value #OWNER_FIELD} field of the record that holds it; it is sealed under that owner's key,
 * bound to the field's name. Read paths show it opened, or as {@code null} with {@value #ERASED} true once the key is
 * gone; the lake keeps it sealed.
 *
 * <p>The key ring is the process's: a node registers its own when it starts, for the code that has no node at hand
 * (the HTTP command parser, the JSON writers).
 */
public final class PersonalData {

  public static final String OWNER_FIELD = "owner";
  public static final String ERASED = "erased";
  private static final String SEALED = SealedHolder.getClassSchema().getFullName();
  private static final Logger log = LoggerFactory.getLogger(PersonalData.class);
  private static final String SEALED_TEXT = "sealed:";
  private static final Deque<KeyRing> RINGS = new ConcurrentLinkedDeque<>();

  private PersonalData() {
  }

  /** How a read path shows sealed data: in the clear (the API), or still sealed (the lake). */
  public enum View { OPENED, SEALED }

  /**
   * What a read path writes for one sealed field.
   *
   * @param value the holder's map, the sealed form's map, or null
   * @param erased whether its key is gone; null when this process holds no keys and cannot tell
   */
  public record Shown(Object value, Boolean erased) {
  }

  public static void register(KeyRing ring) {
    RINGS.push(ring);
  }

  public static void unregister(KeyRing ring) {
    RINGS.remove(ring);
  }

  /** The key ring of this process, if a node with a master key runs in it. */
  public static Optional<KeyRing> keys() {
    return Optional.ofNullable(RINGS.peek());
  }

  /** Whether the field's values are sealed personal data. */
  public static boolean isSealed(Schema.Field field) {
    Schema schema = field.schema();
    if (schema.getType() == Schema.Type.UNION) {
      return schema.getTypes().stream().anyMatch(branch -> SEALED.equals(branch.getFullName()));
    }
    return SEALED.equals(schema.getFullName());
  }

  public static boolean isSealed(Object value) {
    return value instanceof IndexedRecord record && SEALED.equals(record.getSchema().getFullName());
  }

  /**
   * Seals {@code holder} as the {@code field} of {@code owner}.
   *
   * @throws IllegalStateException when this process holds no master key
   */
  public static SealedHolder seal(String owner, String field, Holder holder) {
    KeyRing ring = keys().orElseThrow(() -> new IllegalStateException("this instance has no master key "
        + "(--master-key-file), so it cannot accept personal data such as '" + field + "'"));
    Sealed sealed = ring.seal(owner, field, holder.bytes());
    return new SealedHolder(sealed.keyId(), ByteBuffer.wrap(sealed.ciphertext()));
  }

  /** The sealed {@code field} of {@code parent} as {@code view} shows it. */
  public static Shown show(IndexedRecord parent, Schema.Field field, IndexedRecord sealed, View view) {
    Optional<KeyRing> ring = keys();
    String owner = owner(parent);
    Sealed value = sealed(sealed);
    if (ring.isEmpty() || owner == null) {
      return new Shown(view == View.SEALED ? sealedMap(value) : null, null);
    }
    Optional<byte[]> plain = ring.get().open(owner, field.name(), value);
    if (plain.isEmpty()) {
      return new Shown(null, !ring.get().holds(owner, value.keyId()));
    }
    if (view == View.SEALED) {
      return new Shown(sealedMap(value), false);
    }
    try {
      return new Shown(Holder.parse(plain.get()).toMap(), false);
    } catch (IOException e) {
      log.warn("A sealed {} under data key {} opened but is not a holder", field.name(), value.keyId());
      return new Shown(null, true);
    }
  }

  /** The sealed form as a plain map: its key id and its ciphertext in base64. */
  public static Map<String, Object> sealedMap(IndexedRecord sealed) {
    return sealedMap(sealed(sealed));
  }

  private static Map<String, Object> sealedMap(Sealed sealed) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("keyId", sealed.keyId());
    map.put("ciphertext", Base64.getEncoder().encodeToString(sealed.ciphertext()));
    return map;
  }

  /**
   * The sealed form as one text, {@code sealed:<keyId>:<ciphertext in base64>}: how the correlation index keeps it,
   * as it keeps every field as plain values.
   */
  public static String sealedText(IndexedRecord sealed) {
    Sealed value = sealed(sealed);
    return SEALED_TEXT + value.keyId() + ":" + Base64.getEncoder().encodeToString(value.ciphertext());
  }

  /** Whether a plain value is a {@link #sealedText}. */
  public static boolean isSealedText(Object value) {
    return value instanceof String text && text.startsWith(SEALED_TEXT) && text.indexOf(':', SEALED_TEXT.length()) > 0;
  }

  /** Opens a {@link #sealedText} as the {@code field} of {@code owner}. */
  public static Shown show(String owner, String field, String sealedText) {
    Optional<KeyRing> ring = keys();
    if (ring.isEmpty() || owner == null) {
      return new Shown(null, null);
    }
    int colon = sealedText.indexOf(':', SEALED_TEXT.length());
    String keyId = sealedText.substring(SEALED_TEXT.length(), colon);
    Optional<byte[]> plain;
    try {
      byte[] ciphertext = Base64.getDecoder().decode(sealedText.substring(colon + 1));
      plain = ring.get().open(owner, field, new Sealed(keyId, ciphertext));
    } catch (IllegalArgumentException e) {
      plain = Optional.empty();
    }
    try {
      return plain.isEmpty() ? new Shown(null, !ring.get().holds(owner, keyId))
          : new Shown(Holder.parse(plain.get()).toMap(), false);
    } catch (IOException e) {
      return new Shown(null, true);
    }
  }

  private static String owner(IndexedRecord parent) {
    Schema.Field owner = parent.getSchema().getField(OWNER_FIELD);
    Object value = owner == null ? null : parent.get(owner.pos());
    return value == null ? null : value.toString();
  }

  private static Sealed sealed(IndexedRecord sealed) {
    Object keyId = sealed.get(sealed.getSchema().getField("keyId").pos());
    ByteBuffer bytes = ((ByteBuffer) sealed.get(sealed.getSchema().getField("ciphertext").pos())).duplicate();
    byte[] ciphertext = new byte[bytes.remaining()];
    bytes.get(ciphertext);
    return new Sealed(keyId.toString(), ciphertext);
  }
}
