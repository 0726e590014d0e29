package io.ledgerstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistryClient} speaking Confluent's REST API over {@code java.net.http}.
 *
 * <p>Works with any registry implementing that API (Confluent, Redpanda, Karapace, and Apicurio
 * when the URL ends in {@code /apis/ccompat/v7}). Several comma-separated URLs are tried in turn
 * when one cannot be reached; transient failures are retried with exponential backoff; ids and
 * schemas, which never change once assigned, are cached.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  private final RegistryTransport transport;
  private final ObjectMapper json = new ObjectMapper();
  private final LruCache<SubjectSchema, Integer> idsBySubjectSchema;
  private final LruCache<Integer, Schema> schemasById;

  private record SubjectSchema(String subject, Schema schema) {
  }

  /** Configures the client from the keys in {@link SchemaRegistryConfig}. */
  public HttpSchemaRegistryClient(Map<String, ?> configs) {
    this.transport = new RegistryTransport(configs);
    int capacity = SchemaRegistryConfig.integer(configs, SchemaRegistryConfig.CACHE_CAPACITY,
        SchemaRegistryConfig.DEFAULT_CACHE_CAPACITY);
    this.idsBySubjectSchema = new LruCache<>(capacity);
    this.schemasById = new LruCache<>(capacity);
  }

  /** A client for one URL (or a comma-separated list) with default settings. */
  public static HttpSchemaRegistryClient forUrl(String urls) {
    return new HttpSchemaRegistryClient(Map.of(SchemaRegistryConfig.URL, urls));
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = transport.call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = requiredInt(answer, "id", "register");
    remember(key, id);
    return id;
  }

  @Override
  public int lookupId(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = transport.call("POST", "/subjects/" + encode(subject), schemaBody(schema));
    int id = requiredInt(answer, "id", "lookup");
    remember(key, id);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    String path = "/schemas/ids/" + id;
    JsonNode answer = transport.call("GET", path, null);
    requireAvro(answer, "schema " + id);
    Schema schema = AvroSchemas.parse(answer.path("schema").asText(null), "GET " + path);
    schemasById.put(id, schema);
    return schema;
  }

  @Override
  public RegisteredSchema latestVersion(String subject) {
    return versionAt(subject, "latest");
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    return versionAt(subject, Integer.toString(version));
  }

  private RegisteredSchema versionAt(String subject, String version) {
    String path = "/subjects/" + encode(subject) + "/versions/" + version;
    JsonNode answer = transport.call("GET", path, null);
    requireAvro(answer, "subject " + subject + " version " + version);
    Schema schema = AvroSchemas.parse(answer.path("schema").asText(null), "GET " + path);
    int id = requiredInt(answer, "id", "GET " + path);
    schemasById.put(id, schema);
    return new RegisteredSchema(answer.path("subject").asText(subject), id,
        requiredInt(answer, "version", "GET " + path), schema);
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    try {
      JsonNode answer = transport.call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
          schemaBody(schema));
      JsonNode verdict = answer.path("is_compatible");
      if (!verdict.isBoolean()) {
        throw new RegistryProtocolException("No is_compatible in the compatibility answer for subject "
            + subject + ": " + answer, 200, SchemaRegistryException.NONE, null);
      }
      return verdict.booleanValue();
    } catch (SubjectNotFoundException | VersionNotFoundException e) {
      return true;
    }
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    try {
      return level(transport.call("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null));
    } catch (SubjectNotFoundException | InvalidRequestException e) {
      // registries older than defaultToGlobal answer 404 (40401 or 40408) for a subject with no level
      if (e.httpStatus() != 404) {
        throw e;
      }
      return globalCompatibility();
    }
  }

  @Override
  public CompatibilityLevel globalCompatibility() {
    return level(transport.call("GET", "/config", null));
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    transport.call("PUT", "/config/" + encode(subject), json.createObjectNode().put("compatibility", level.name()));
  }

  @Override
  public void setGlobalCompatibility(CompatibilityLevel level) {
    transport.call("PUT", "/config", json.createObjectNode().put("compatibility", level.name()));
  }

  private void remember(SubjectSchema key, int id) {
    idsBySubjectSchema.put(key, id);
    schemasById.put(id, key.schema());
  }

  private ObjectNode schemaBody(Schema schema) {
    // schemaType is left out: AVRO is the default and older registries reject the field
    return json.createObjectNode().put("schema", schema.toString());
  }

  private static CompatibilityLevel level(JsonNode answer) {
    JsonNode level = answer.hasNonNull("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
    if (level == null || !level.isTextual()) {
      throw new RegistryProtocolException("No compatibility level in the registry's answer: " + answer,
          200, SchemaRegistryException.NONE, null);
    }
    return CompatibilityLevel.parse(level.asText());
  }

  private static void requireAvro(JsonNode answer, String what) {
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equalsIgnoreCase("AVRO")) {
      throw new InvalidSchemaException("The registry holds " + what + " as a " + type
          + " schema; this client reads Avro only");
    }
  }

  private static int requiredInt(JsonNode answer, String field, String call) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw new RegistryProtocolException("No integer '" + field + "' in the registry's answer to " + call
          + ": " + answer, 200, SchemaRegistryException.NONE, null);
    }
    return value.intValue();
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
