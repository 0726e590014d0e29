package io.ledgerstream.registry.dev;

import io.ledgerstream.registry.CompatibilityLevel;
import io.ledgerstream.registry.dev.DevStoreRecord.CompatibilityConfig;
import io.ledgerstream.registry.dev.DevStoreRecord.SchemaVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's state and rules: global schema ids, per-subject versions and compatibility
 * levels, rebuilt from and persisted to a {@link DevSchemaStore}.
 */
final class DevSchemaCatalog {

  /** One subject version, as Confluent shows it. */
  record Registered(String subject, int version, int id, String schema) {
  }

  /** Where a schema id is used. */
  record SubjectVersion(String subject, int version) {
  }

  private final DevSchemaStore store;
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, Integer> idsByCanonical = new HashMap<>();
  private final Map<String, NavigableMap<Integer, Integer>> idsBySubjectVersion = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int maxId;

  DevSchemaCatalog(DevSchemaStore store) {
    this.store = store;
    store.load().forEach(this::apply);
  }

  synchronized int register(String subject, String schemaText) {
    Schema schema = parse(schemaText);
    catchUp();
    // Identity is Avro's normalised JSON, as Confluent compares: layout does not matter, docs and
    // defaults do (the Parsing Canonical Form drops defaults, so it would merge different schemas).
    String canonical = schema.toString();
    NavigableMap<Integer, Integer> versions = versionsOf(subject);
    Integer id = idsByCanonical.get(canonical);
    if (id != null && versions.containsValue(id)) {
      return id;
    }
    List<String> problems = levelOf(subject).problems(schema, schemasOf(versions));
    if (!problems.isEmpty()) {
      throw DevRegistryException.incompatible(subject, problems);
    }
    int newId = id != null ? id : maxId + 1;
    int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
    persist(new SchemaVersion(subject, version, newId, canonical));
    return newId;
  }

  synchronized Registered lookup(String subject, String schemaText) {
    Integer id = idsByCanonical.get(parse(schemaText).toString());
    NavigableMap<Integer, Integer> versions = existingVersionsOf(subject);
    for (Map.Entry<Integer, Integer> version : versions.entrySet()) {
      if (version.getValue().equals(id)) {
        return registered(subject, version.getKey(), id);
      }
    }
    throw DevRegistryException.schemaNotFound();
  }

  synchronized String schema(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw DevRegistryException.schemaNotFound(id);
    }
    return schema.toString();
  }

  synchronized List<SubjectVersion> usagesOf(int id) {
    schema(id);
    List<SubjectVersion> usages = new ArrayList<>();
    idsBySubjectVersion.forEach((subject, versions) -> versions.forEach((version, versionId) -> {
      if (versionId == id) {
        usages.add(new SubjectVersion(subject, version));
      }
    }));
    return usages;
  }

  synchronized List<String> subjects() {
    return List.copyOf(idsBySubjectVersion.keySet());
  }

  synchronized List<Integer> versions(String subject) {
    return List.copyOf(existingVersionsOf(subject).keySet());
  }

  synchronized Registered version(String subject, String versionText) {
    int version = parseVersion(versionText);
    NavigableMap<Integer, Integer> versions = existingVersionsOf(subject);
    int resolved = version == -1 ? versions.lastKey() : version;
    Integer id = versions.get(resolved);
    if (id == null) {
      throw DevRegistryException.versionNotFound(version);
    }
    return registered(subject, resolved, id);
  }

  /** Problems of {@code schemaText} against one version ("latest" of an unknown subject is fine). */
  synchronized List<String> compatibilityWithVersion(String subject, String versionText, String schemaText) {
    int version = parseVersion(versionText);
    NavigableMap<Integer, Integer> versions = versionsOf(subject);
    NavigableMap<Integer, Schema> against = new TreeMap<>();
    if (version != -1 || !versions.isEmpty()) {
      int resolved = version == -1 ? versions.lastKey() : version;
      Integer id = versions.get(resolved);
      if (id == null) {
        throw DevRegistryException.versionNotFound(version);
      }
      against.put(resolved, schemasById.get(id));
    }
    return levelOf(subject).problems(parse(schemaText), against);
  }

  /** Problems of {@code schemaText} against the subject, exactly as registering it would check. */
  synchronized List<String> compatibilityWithSubject(String subject, String schemaText) {
    return levelOf(subject).problems(parse(schemaText), schemasOf(versionsOf(subject)));
  }

  synchronized String globalCompatibility() {
    return globalLevel.name();
  }

  synchronized String subjectCompatibility(String subject, boolean defaultToGlobal) {
    CompatibilityLevel level = subjectLevels.get(subject);
    if (level == null && !defaultToGlobal) {
      throw DevRegistryException.subjectCompatibilityNotConfigured(subject);
    }
    return (level == null ? globalLevel : level).name();
  }

  /** Sets the level of {@code subject}, or the global level when it is null. */
  synchronized void setCompatibility(String subject, String level) {
    CompatibilityLevel parsed = CompatibilityLevel.forName(level).orElse(null);
    if (parsed == null) {
      throw DevRegistryException.invalidCompatibilityLevel();
    }
    catchUp();
    persist(new CompatibilityConfig(subject, parsed.name()));
  }

  /** Applies what other writers of the store appended, so the next id is decided on everything written. */
  private void catchUp() {
    try {
      store.readNew().forEach(this::apply);
    } catch (DevSchemaStoreException e) {
      throw DevRegistryException.storeError("Error while reading the schema store: " + e.getMessage(), e);
    }
  }

  private void persist(DevStoreRecord record) {
    try {
      store.append(record);
    } catch (DevSchemaStoreException e) {
      throw DevRegistryException.storeError("Error while writing to the schema store: " + e.getMessage(), e);
    }
    apply(record);
  }

  private void apply(DevStoreRecord record) {
    if (record instanceof SchemaVersion version) {
      Schema schema = new Schema.Parser().parse(version.schema());
      schemasById.putIfAbsent(version.id(), schema);
      idsByCanonical.putIfAbsent(schema.toString(), version.id());
      idsBySubjectVersion.computeIfAbsent(version.subject(), subject -> new TreeMap<>())
          .put(version.version(), version.id());
      maxId = Math.max(maxId, version.id());
    } else if (record instanceof CompatibilityConfig config) {
      CompatibilityLevel level = CompatibilityLevel.valueOf(config.compatibility());
      if (config.subject() == null) {
        globalLevel = level;
      } else {
        subjectLevels.put(config.subject(), level);
      }
    } else {
      throw new IllegalArgumentException("Unknown record " + record);
    }
  }

  private Registered registered(String subject, int version, int id) {
    return new Registered(subject, version, id, schemasById.get(id).toString());
  }

  private CompatibilityLevel levelOf(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private NavigableMap<Integer, Integer> versionsOf(String subject) {
    return idsBySubjectVersion.getOrDefault(subject, new TreeMap<>());
  }

  private NavigableMap<Integer, Integer> existingVersionsOf(String subject) {
    NavigableMap<Integer, Integer> versions = idsBySubjectVersion.get(subject);
    if (versions == null) {
      throw DevRegistryException.subjectNotFound(subject);
    }
    return versions;
  }

  private NavigableMap<Integer, Schema> schemasOf(NavigableMap<Integer, Integer> versions) {
    NavigableMap<Integer, Schema> schemas = new TreeMap<>();
    versions.forEach((version, id) -> schemas.put(version, schemasById.get(id)));
    return schemas;
  }

  private static Schema parse(String schemaText) {
    if (schemaText == null || schemaText.isBlank()) {
      throw DevRegistryException.invalidSchema("Empty schema");
    }
    try {
      return new Schema.Parser().parse(schemaText);
    } catch (RuntimeException e) {
      throw DevRegistryException.invalidSchema("Invalid schema " + schemaText + ", details: " + e.getMessage());
    }
  }

  /** Confluent's VersionId: "latest" (any case) is -1, otherwise an int of at least 1. */
  private static int parseVersion(String versionText) {
    String trimmed = versionText.trim();
    if (trimmed.toLowerCase(Locale.ROOT).equals("latest")) {
      return -1;
    }
    try {
      int version = Integer.parseInt(trimmed);
      if (version <= 0 && version != -1) {
        throw DevRegistryException.invalidVersion(versionText);
      }
      return version;
    } catch (NumberFormatException e) {
      throw DevRegistryException.invalidVersion(versionText);
    }
  }
}
