package io.ledgerstream.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who holds an account: personal data, only ever in memory in the clear. Sealed as the JSON {@code {name, email}}.
 */
public record Holder(String name, String email) {

  static final int MAX_NAME = 200;
  static final int MAX_EMAIL = 320;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The holder a client gave as {@code {"name": ..., "email": ...}}.
   *
   * @throws IllegalArgumentException saying what is wrong, without repeating the values
   */
  public static Holder of(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("'holder' must be an object {\"name\": ..., \"email\": ...}");
    }
    json.fieldNames().forEachRemaining(member -> {
      if (!member.equals("name") && !member.equals("email")) {
        throw new IllegalArgumentException("'holder' has the members name and email only");
      }
    });
    String name = text(json, "name", MAX_NAME);
    String email = text(json, "email", MAX_EMAIL);
    if (email.indexOf('@') < 1 || email.indexOf('@') == email.length() - 1) {
      throw new IllegalArgumentException("'holder.email' must be an e-mail address");
    }
    return new Holder(name, email);
  }

  byte[] bytes() {
    try {
      return JSON.writeValueAsBytes(toMap());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a holder as JSON", e);
    }
  }

  static Holder parse(byte[] bytes) throws IOException {
    JsonNode json = JSON.readTree(bytes);
    return new Holder(json.path("name").asText(null), json.path("email").asText(null));
  }

  /** {@code {name, email}}, as read paths show it. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", name);
    map.put("email", email);
    return map;
  }

  private static String text(JsonNode json, String member, int maxLength) {
    JsonNode value = json.get(member);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw new IllegalArgumentException("'holder." + member + "' must be a non-empty string");
    }
    String text = value.textValue();
    if (text.length() > maxLength) {
      throw new IllegalArgumentException("'holder." + member + "' is longer than " + maxLength + " characters");
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("'holder." + member + "' must not hold a control character");
    }
    return text;
  }

  @Override
  public String toString() {
    // never the values: a holder must not reach a log line
    return "Holder[personal data]";
  }
}
