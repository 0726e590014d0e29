package io.ledgerstream.registry.dev;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerstream.registry.dev.DevStoreRecord.CompatibilityConfig;
import io.ledgerstream.registry.dev.DevStoreRecord.SchemaVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * JSON keys and values of the {@code _schemas} topic, laid out like Confluent Schema Registry's own
 * records; a key names one subject version or one config, so compaction keeps the latest of each.
 */
final class DevStoreRecordCodec {

  private final ObjectMapper json = new ObjectMapper();

  String key(DevStoreRecord record) {
    Map<String, Object> key = new LinkedHashMap<>();
    if (record instanceof SchemaVersion version) {
      key.put("keytype", "SCHEMA");
      key.put("subject", version.subject());
      key.put("version", version.version());
      key.put("magic", 1);
    } else if (record instanceof CompatibilityConfig config) {
      key.put("keytype", "CONFIG");
      if (config.subject() != null) {
        key.put("subject", config.subject());
      }
      key.put("magic", 0);
    } else {
      throw new IllegalArgumentException("Unknown record " + record);
    }
    return write(key);
  }

  String value(DevStoreRecord record) {
    Map<String, Object> value = new LinkedHashMap<>();
    if (record instanceof SchemaVersion version) {
      value.put("subject", version.subject());
      value.put("version", version.version());
      value.put("id", version.id());
      value.put("schema", version.schema());
      value.put("deleted", false);
    } else if (record instanceof CompatibilityConfig config) {
      value.put("compatibilityLevel", config.compatibility());
    } else {
      throw new IllegalArgumentException("Unknown record " + record);
    }
    return write(value);
  }

  /** The record a topic entry holds; empty for tombstones and for key types this registry does not use. */
  Optional<DevStoreRecord> decode(String key, String value) {
    if (key == null || value == null) {
      return Optional.empty();
    }
    JsonNode k = read(key);
    JsonNode v = read(value);
    switch (k.path("keytype").asText()) {
      case "SCHEMA":
        return Optional.of(new SchemaVersion(v.path("subject").asText(), v.path("version").asInt(),
            v.path("id").asInt(), v.path("schema").asText()));
      case "CONFIG":
        String subject = k.path("subject").isTextual() ? k.path("subject").asText() : null;
        return Optional.of(new CompatibilityConfig(subject, v.path("compatibilityLevel").asText()));
      default:
        return Optional.empty();
    }
  }

  private String write(Map<String, Object> fields) {
    try {
      return json.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + fields + " as JSON", e);
    }
  }

  private JsonNode read(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new DevSchemaStoreException("Unreadable record in the schemas topic: " + text, e);
    }
  }
}
