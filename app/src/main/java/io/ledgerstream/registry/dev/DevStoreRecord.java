package io.ledgerstream.registry.dev;

import java.util.Objects;

/** One durable fact of the development registry: the log a {@link DevSchemaStore} keeps and replays. */
public sealed interface DevStoreRecord {

  /** Version {@code version} of {@code subject} is the schema with global id {@code id}. */
  record SchemaVersion(String subject, int version, int id, String schema) implements DevStoreRecord {
    public SchemaVersion {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(schema, "schema");
    }
  }

  /** The compatibility level of {@code subject}, or the global level when {@code subject} is null. */
  record CompatibilityConfig(String subject, String compatibility) implements DevStoreRecord {
    public CompatibilityConfig {
      Objects.requireNonNull(compatibility, "compatibility");
    }
  }
}
