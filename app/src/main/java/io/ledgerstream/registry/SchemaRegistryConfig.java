package io.ledgerstream.registry;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration keys the registry client and serde read: Confluent's names, so a properties
 * file written for Confluent's serializers configures these too.
 */
public final class SchemaRegistryConfig {

  /** Comma-separated base URLs ({@code http://user:pass@host:8081/base/path} allowed), or {@code mock://scope}. */
  public static final String URL = "schema.registry.url";
  /** {@code URL} (credentials in the URL, the default) or {@code USER_INFO}. */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  /** {@code user:password} for basic auth. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  /** The older spelling of {@link #BASIC_AUTH_USER_INFO}, still read. */
  public static final String LEGACY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  /** {@code STATIC_TOKEN}, the only bearer source supported. */
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
  /** The bearer token sent as {@code Authorization: Bearer <token>}. */
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  /** Connect timeout in ms; default {@value #DEFAULT_CONNECT_TIMEOUT_MS}. */
  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  /** Time in ms to wait for a whole response; default {@value #DEFAULT_READ_TIMEOUT_MS}. */
  public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
  /** Retries after a transient failure; default {@value #DEFAULT_MAX_RETRIES}. */
  public static final String MAX_RETRIES = "max.retries";
  /** First backoff in ms, doubled on each retry; default {@value #DEFAULT_RETRIES_WAIT_MS}. */
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  /** Longest backoff in ms; default {@value #DEFAULT_RETRIES_MAX_WAIT_MS}. */
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  /** Capacity of each client-side cache; default {@value #DEFAULT_CACHE_CAPACITY}. */
  public static final String CACHE_CAPACITY = "max.schemas.per.subject";
  /**
   * Whether the serializer registers the schema it writes with (default {@code false}): when off
   * it only looks the schema's id up and fails if the schema is not registered under the subject.
   */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_READ_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final int DEFAULT_RETRIES_WAIT_MS = 1_000;
  public static final int DEFAULT_RETRIES_MAX_WAIT_MS = 20_000;
  public static final int DEFAULT_CACHE_CAPACITY = 1_000;

  private SchemaRegistryConfig() {
  }

  static String string(Map<String, ?> configs, String key) {
    Object value = configs.get(key);
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  static int integer(Map<String, ?> configs, String key, int defaultValue) {
    Object value = configs.get(key);
    if (value instanceof Number number) {
      return number.intValue();
    }
    String text = string(configs, key);
    if (text == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "expected an integer");
    }
  }

  static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
    Object value = configs.get(key);
    if (value instanceof Boolean flag) {
      return flag;
    }
    String text = string(configs, key);
    if (text == null) {
      return defaultValue;
    }
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException(key, value, "expected true or false");
  }
}
