package io.ledgerstream.registry.dev;

import static io.ledgerstream.registry.dev.DevSchemaRegistryHttpTest.ACCOUNT_V1;
import static io.ledgerstream.registry.dev.DevSchemaRegistryHttpTest.ACCOUNT_V2_WITH_DEFAULT;
import static io.ledgerstream.registry.dev.DevSchemaRegistryHttpTest.ACCOUNT_WITHOUT_DEFAULT;
import static io.ledgerstream.registry.dev.DevSchemaRegistryHttpTest.TRANSFER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaMetadata;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conformance with Confluent's own CachedSchemaRegistryClient (7.5.3, shaded into Flink's jar).
 * Each check that must reach the server uses a fresh client, so the client's caches prove nothing.
 */
class DevSchemaRegistryConfluentClientTest {

  private static DevSchemaRegistry registry;

  @BeforeAll
  static void start() {
    registry = DevSchemaRegistry.start("localhost", 0, new InMemoryDevSchemaStore());
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void registersAndFetchesTheSchemaById() throws Exception {
    int id = client().register("fetch-value", new AvroSchema(TRANSFER));

    assertThat(client().getSchemaById(id)).isEqualTo(new AvroSchema(TRANSFER));
    assertThat(client().getAllSubjectsById(id)).containsExactly("fetch-value");
  }

  @Test
  void givesTheSameIdToTheSameSchemaUnderAnotherSubject() throws Exception {
    int id = client().register("same-a-value", new AvroSchema(ACCOUNT_V1));

    assertThat(client().register("same-b-value", new AvroSchema(ACCOUNT_V1))).isEqualTo(id);
    assertThat(client().getAllSubjects()).contains("same-a-value", "same-b-value");
  }

  @Test
  void servesSubjectNamesThatNeedUrlEncoding() throws Exception {
    String subject = "ledger account:events-value";
    int id = client().register(subject, new AvroSchema(ACCOUNT_V2_WITH_DEFAULT));

    assertThat(client().getLatestSchemaMetadata(subject).getId()).isEqualTo(id);
    assertThat(client().getAllSubjects()).contains(subject);
  }

  @Test
  void reRegisteringIsHarmless() throws Exception {
    int id = client().register("again-value", new AvroSchema(ACCOUNT_V1));

    assertThat(client().register("again-value", new AvroSchema(ACCOUNT_V1))).isEqualTo(id);
    assertThat(client().getAllVersions("again-value")).containsExactly(1);
    assertThat(client().getVersion("again-value", new AvroSchema(ACCOUNT_V1))).isEqualTo(1);
    assertThat(client().getId("again-value", new AvroSchema(ACCOUNT_V1))).isEqualTo(id);
  }

  @Test
  void rejectsAnIncompatibleSchemaWithA409RestClientException() throws Exception {
    SchemaRegistryClient client = client();
    client.register("breaking-value", new AvroSchema(ACCOUNT_V1));

    RestClientException rejected = catchThrowableOfType(RestClientException.class,
        () -> client.register("breaking-value", new AvroSchema(ACCOUNT_WITHOUT_DEFAULT)));

    assertThat(rejected.getStatus()).isEqualTo(409);
    assertThat(rejected.getErrorCode()).isEqualTo(409);
    assertThat(client.testCompatibility("breaking-value", new AvroSchema(ACCOUNT_WITHOUT_DEFAULT))).isFalse();
    assertThat(client.testCompatibilityVerbose("breaking-value", new AvroSchema(ACCOUNT_WITHOUT_DEFAULT)))
        .anySatisfy(message -> assertThat(message).contains("READER_FIELD_MISSING_DEFAULT_VALUE"));
    assertThat(client.testCompatibility("breaking-value", new AvroSchema(ACCOUNT_V2_WITH_DEFAULT))).isTrue();
  }

  @Test
  void readsLatestAndNumberedVersionMetadata() throws Exception {
    int first = client().register("meta-value", new AvroSchema(ACCOUNT_V1));
    int second = client().register("meta-value", new AvroSchema(ACCOUNT_V2_WITH_DEFAULT));

    SchemaMetadata latest = client().getLatestSchemaMetadata("meta-value");
    assertThat(latest.getId()).isEqualTo(second);
    assertThat(latest.getVersion()).isEqualTo(2);
    assertThat(latest.getSchemaType()).isEqualTo("AVRO");
    assertThat(new AvroSchema(latest.getSchema())).isEqualTo(new AvroSchema(ACCOUNT_V2_WITH_DEFAULT));
    assertThat(client().getSchemaMetadata("meta-value", 1).getId()).isEqualTo(first);
  }

  @Test
  void readsAndUpdatesCompatibilityConfig() throws Exception {
    assertThat(client().getCompatibility(null)).isEqualTo("BACKWARD");
    RestClientException notConfigured = catchThrowableOfType(RestClientException.class,
        () -> client().getCompatibility("config-value"));
    assertThat(notConfigured.getErrorCode()).isEqualTo(40408);

    assertThat(client().updateCompatibility("config-value", "FULL")).isEqualTo("FULL");
    assertThat(client().getCompatibility("config-value")).isEqualTo("FULL");
  }

  @Test
  void reportsUnknownIdsAndSubjectsWithConfluentErrorCodes() {
    RestClientException unknownId = catchThrowableOfType(RestClientException.class,
        () -> client().getSchemaById(4242));
    RestClientException unknownSubject = catchThrowableOfType(RestClientException.class,
        () -> client().getLatestSchemaMetadata("never-registered-value"));

    assertThat(unknownId.getStatus()).isEqualTo(404);
    assertThat(unknownId.getErrorCode()).isEqualTo(40403);
    assertThat(unknownSubject.getErrorCode()).isEqualTo(40401);
  }

  private static SchemaRegistryClient client() {
    return new CachedSchemaRegistryClient(registry.url(), 100);
  }
}
