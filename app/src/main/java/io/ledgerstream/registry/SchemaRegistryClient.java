package io.ledgerstream.registry;

import org.apache.avro.Schema;

/**
 * The Confluent Schema Registry operations Ledgerstream needs, for Avro schemas.
 *
 * <p>Schema ids are global: the same schema under two subjects has one id. Schemas are compared
 * parsed ({@link Schema#equals}), so formatting and doc changes never create a new id here;
 * failures are {@link SchemaRegistryException}s.
 */
public interface SchemaRegistryClient {

  /** Registers the schema under the subject (a no-op if it is already there) and returns its id. */
  int register(String subject, Schema schema);

  /**
   * Returns the id of a schema already registered under the subject.
   *
   * @throws SubjectNotFoundException if the subject has no schema
   * @throws SchemaNotFoundException if this schema is not one of the subject's versions
   */
  int lookupId(String subject, Schema schema);

  /**
   * Returns the schema with that id.
   *
   * @throws SchemaNotFoundException if no schema has that id
   */
  Schema schemaById(int id);

  /** Returns the subject's newest version; throws {@link SubjectNotFoundException} if none. */
  RegisteredSchema latestVersion(String subject);

  /** Returns one version of the subject; throws {@link VersionNotFoundException} if absent. */
  RegisteredSchema version(String subject, int version);

  /**
   * Whether the subject would accept the schema as its next version under its compatibility
   * level; true when the subject has no version yet.
   */
  boolean isCompatible(String subject, Schema schema);

  /** The subject's compatibility level, or the global one when the subject has none of its own. */
  CompatibilityLevel compatibility(String subject);

  /** The registry-wide default compatibility level. */
  CompatibilityLevel globalCompatibility();

  /** Sets the subject's own compatibility level. */
  void setCompatibility(String subject, CompatibilityLevel level);

  /** Sets the registry-wide default compatibility level. */
  void setGlobalCompatibility(CompatibilityLevel level);
}
