package io.ledgerstream.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry held in memory with the semantics of Confluent's {@code mock://} URLs.
 *
 * <p>Every {@code mock://<scope>} URL in the JVM names one shared instance, so two serdes
 * configured with the same URL see the same ids; {@link #drop(String)} forgets a scope between
 * tests. Ids are global and start at 1, versions count per subject, registering a schema the
 * subject already has returns its id, and the compatibility level (BACKWARD by default) is
 * enforced on register.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

  private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final Map<String, List<Integer>> idsBySubject = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int nextId = 1;

  /** A registry of its own, outside every scope. */
  public InMemorySchemaRegistry() {
  }

  /** The JVM-wide registry of a scope, created on first use. */
  public static InMemorySchemaRegistry scope(String scope) {
    return SCOPES.computeIfAbsent(scope, name -> new InMemorySchemaRegistry());
  }

  /** Forgets a scope: the next {@link #scope(String)} call starts an empty registry. */
  public static void drop(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<Integer> versions = idsBySubject.getOrDefault(subject, List.of());
    Integer existing = idsBySchema.get(schema);
    if (existing != null && versions.contains(existing)) {
      return existing;
    }
    List<Schema> history = versions.stream().map(schemasById::get).toList();
    compatibility(subject).incompatibility(schema, history).ifPresent(problem -> {
      throw new IncompatibleSchemaException("Schema being registered is incompatible with an earlier schema for subject \""
          + subject + "\": " + problem);
    });
    int id = existing != null ? existing : nextId++;
    schemasById.put(id, schema);
    idsBySchema.put(schema, id);
    idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    return id;
  }

  @Override
  public synchronized int lookupId(String subject, Schema schema) {
    List<Integer> versions = versions(subject);
    Integer id = idsBySchema.get(schema);
    if (id == null || !versions.contains(id)) {
      throw new SchemaNotFoundException("Schema not found under subject '" + subject + "'");
    }
    return id;
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaNotFoundException("Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema latestVersion(String subject) {
    List<Integer> versions = versions(subject);
    return describe(subject, versions.size());
  }

  @Override
  public synchronized RegisteredSchema version(String subject, int version) {
    List<Integer> versions = versions(subject);
    if (version < 1) {
      throw new InvalidRequestException("The specified version '" + version + "' is not a valid version id."
          + " Allowed values are between [1, 2^31-1] and the string \"latest\"", 422, SchemaRegistryException.INVALID_VERSION);
    }
    if (version > versions.size()) {
      throw new VersionNotFoundException("Version " + version + " not found.");
    }
    return describe(subject, version);
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    List<Schema> history = idsBySubject.getOrDefault(subject, List.of()).stream().map(schemasById::get).toList();
    return compatibility(subject).incompatibility(schema, history).isEmpty();
  }

  @Override
  public synchronized CompatibilityLevel compatibility(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  @Override
  public synchronized CompatibilityLevel globalCompatibility() {
    return globalLevel;
  }

  @Override
  public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    subjectLevels.put(subject, level);
  }

  @Override
  public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
    globalLevel = level;
  }

  /** The subjects that have at least one version, in no particular order. */
  public synchronized List<String> subjects() {
    return List.copyOf(idsBySubject.keySet());
  }

  private List<Integer> versions(String subject) {
    List<Integer> versions = idsBySubject.get(subject);
    if (versions == null) {
      throw new SubjectNotFoundException("Subject '" + subject + "' not found.");
    }
    return versions;
  }

  private RegisteredSchema describe(String subject, int version) {
    int id = idsBySubject.get(subject).get(version - 1);
    return new RegisteredSchema(subject, id, version, schemasById.get(id));
  }
}
