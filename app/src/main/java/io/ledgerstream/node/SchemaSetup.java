package io.ledgerstream.node;

import io.ledgerstream.registry.AvroSerde;
import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.registry.SchemaRegistryException;
import io.ledgerstream.streams.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers, or checks, the current schema of every subject the app reads or writes, so clients can encode commands
 * with the latest schema before the first one is sent, and the app's serializers never ask the registry mid-way
 * through a transaction.
 */
public final class SchemaSetup {

  private static final Logger log = LoggerFactory.getLogger(SchemaSetup.class);

  private SchemaSetup() {
  }

  /**
   * Registers each topic's current value schema under its subject, and has the topic's serde resolve the id it writes
   * with, so that no write to a contract topic needs the registry once the streams run.
   */
  public static void register(SchemaRegistryClient registry, Collection<Topic<?, ?>> topics) {
    for (Topic<?, ?> topic : topics) {
      int id = registry.register(topic.valueSubject(), schemaOf(topic));
      serdeOf(topic).prepare(topic.name());
      log.debug("Subject {} has the current schema as id {}", topic.valueSubject(), id);
    }
  }

  /**
   * Checks that each topic's current value schema is registered under its subject.
   *
   * @throws IllegalStateException naming every subject that lacks it
   */
  public static void check(SchemaRegistryClient registry, Collection<Topic<?, ?>> topics) {
    List<String> missing = new ArrayList<>();
    for (Topic<?, ?> topic : topics) {
      try {
        registry.lookupId(topic.valueSubject(), schemaOf(topic));
        serdeOf(topic).prepare(topic.name());
      } catch (SchemaRegistryException e) {
        missing.add(topic.valueSubject() + " (" + e.getMessage() + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("The schema registry lacks the current schema of " + missing
          + ". Register them with `ledgerstream schemas register --schema-registry-url ...`, "
          + "or start with --auto-register-schemas.");
    }
  }

  private static org.apache.avro.Schema schemaOf(Topic<?, ?> topic) {
    return serdeOf(topic).schema();
  }

  private static AvroSerde<?> serdeOf(Topic<?, ?> topic) {
    return (AvroSerde<?>) topic.valueSerde();
  }
}
