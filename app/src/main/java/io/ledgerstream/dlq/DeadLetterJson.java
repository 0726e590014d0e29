package io.ledgerstream.dlq;

import io.ledgerstream.streams.PoisonRecordHandler;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dead letters as the HTTP API and {@code dlq --json} show them: bytes as text when they are printable UTF-8, else
 * as hex and base64, since a letter's bytes are by definition ones the application could not read.
 */
public final class DeadLetterJson {

  private static final int PREVIEW_BYTES = 48;

  private DeadLetterJson() {
  }

  /** What a list shows of a letter: where it came from, why, a preview of its bytes, and its re-drive. */
  public static Map<String, Object> summary(DeadLetter letter) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("position", letter.position().toString());
    json.put("partition", letter.position().partition());
    json.put("offset", letter.position().offset());
    json.put("timestamp", letter.timestamp());
    json.put("topic", letter.originTopic().orElse(null));
    json.put("originPartition", letter.originPartition().map(Integer::valueOf).orElse(null));
    json.put("originOffset", letter.originOffset().map(Long::valueOf).orElse(null));
    json.put("exception", letter.exception().orElse(null));
    json.put("message", letter.message().orElse(null));
    json.put("key", text(letter.key()));
    json.put("valueSize", letter.value() == null ? null : letter.value().length);
    json.put("valuePreview", preview(letter.value()));
    json.put("redrivenFrom", letter.redrivenFrom().orElse(null));
    json.put("redrivable", DeadLetters.whyNotRedrivable(letter).isEmpty());
    json.put("notRedrivableBecause", DeadLetters.whyNotRedrivable(letter).orElse(null));
    json.put("redrive", letter.redrive());
    return json;
  }

  /** Everything: the summary, every header, the key and value in full, the stack trace. */
  public static Map<String, Object> detail(DeadLetter letter) {
    Map<String, Object> json = summary(letter);
    json.put("stackTrace", letter.stackTrace().orElse(null));
    json.put("keyBytes", bytes(letter.key()));
    json.put("value", bytes(letter.value()));
    json.put("headers", headers(letter.headers()));
    return json;
  }

  private static List<Map<String, Object>> headers(List<DeadLetter.Header> headers) {
    return headers.stream()
        .filter(header -> !header.name().equals(PoisonRecordHandler.HEADER_STACKTRACE))
        .map(header -> {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("name", header.name());
          json.putAll(bytes(header.value()));
          return json;
        })
        .toList();
  }

  /** {@code {size, text}} for printable UTF-8, else {@code {size, hex, base64}}; null for no bytes at all. */
  static Map<String, Object> bytes(byte[] value) {
    if (value == null) {
      return null;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("size", value.length);
    String text = text(value);
    if (text != null) {
      json.put("text", text);
    } else {
      json.put("hex", HexFormat.of().formatHex(value, 0, Math.min(value.length, 4096)));
      json.put("base64", Base64.getEncoder().encodeToString(value));
    }
    return json;
  }

  /** A short, readable glimpse: the start of the text, or of the hex. */
  static String preview(byte[] value) {
    if (value == null) {
      return null;
    }
    String text = text(value);
    if (text != null) {
      return text.length() <= PREVIEW_BYTES ? text : text.substring(0, PREVIEW_BYTES) + "…";
    }
    String hex = HexFormat.ofDelimiter(" ").formatHex(value, 0, Math.min(value.length, PREVIEW_BYTES / 3));
    return value.length > PREVIEW_BYTES / 3 ? hex + " …" : hex;
  }

  /** The bytes as a string when they are valid UTF-8 without control characters other than line breaks and tabs. */
  static String text(byte[] value) {
    if (value == null) {
      return null;
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    boolean printable = decoded.chars().allMatch(c -> c == '\n' || c == '\r' || c == '\t' || !Character.isISOControl(c));
    return printable ? decoded : null;
  }
}
