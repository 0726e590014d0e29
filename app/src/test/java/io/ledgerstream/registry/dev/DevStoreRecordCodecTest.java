package io.ledgerstream.registry.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.registry.dev.DevStoreRecord.CompatibilityConfig;
import io.ledgerstream.registry.dev.DevStoreRecord.SchemaVersion;
import org.junit.jupiter.api.Test;

class DevStoreRecordCodecTest {

  private final DevStoreRecordCodec codec = new DevStoreRecordCodec();

  @Test
  void writesConfluentsSchemasTopicLayout() {
    var version = new SchemaVersion("accounts-value", 2, 7, "\"string\"");

    assertThat(codec.key(version)).isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"accounts-value\",\"version\":2,\"magic\":1}");
    assertThat(codec.value(version))
        .isEqualTo("{\"subject\":\"accounts-value\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
    assertThat(codec.key(new CompatibilityConfig(null, "FULL"))).isEqualTo("{\"keytype\":\"CONFIG\",\"magic\":0}");
    assertThat(codec.key(new CompatibilityConfig("accounts-value", "FULL")))
        .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"accounts-value\",\"magic\":0}");
    assertThat(codec.value(new CompatibilityConfig(null, "FULL"))).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
  }

  @Test
  void readsBackWhatItWrites() {
    var version = new SchemaVersion("accounts-value", 2, 7, "{\"type\":\"string\"}");
    var global = new CompatibilityConfig(null, "NONE");
    var subject = new CompatibilityConfig("accounts-value", "FORWARD");

    assertThat(codec.decode(codec.key(version), codec.value(version))).contains(version);
    assertThat(codec.decode(codec.key(global), codec.value(global))).contains(global);
    assertThat(codec.decode(codec.key(subject), codec.value(subject))).contains(subject);
  }

  @Test
  void skipsTombstonesAndKeyTypesItDoesNotUse() {
    assertThat(codec.decode("{\"keytype\":\"SCHEMA\",\"subject\":\"a\",\"version\":1,\"magic\":1}", null)).isEmpty();
    assertThat(codec.decode("{\"keytype\":\"NOOP\",\"magic\":0}", "{}")).isEmpty();
    assertThat(codec.decode("{\"keytype\":\"MODE\",\"magic\":0}", "{\"mode\":\"READWRITE\"}")).isEmpty();
  }
}
