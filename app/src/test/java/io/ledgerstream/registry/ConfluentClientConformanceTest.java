package io.ledgerstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountEvent;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Confluent's own client (shaded in a Flink artifact) and ours, against the same registry:
 * they must agree on ids and schemas, and the fake the other tests use must satisfy Confluent's
 * client too.
 */
class ConfluentClientConformanceTest {

  private FakeConfluentRegistry registry;
  private CachedSchemaRegistryClient confluent;
  private HttpSchemaRegistryClient ours;

  @BeforeEach
  void start() throws IOException {
    registry = new FakeConfluentRegistry();
    confluent = new CachedSchemaRegistryClient(registry.url(), 100);
    ours = HttpSchemaRegistryClient.forUrl(registry.url());
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void findsTheIdConfluentsClientRegistered() throws Exception {
    int id = confluent.register("ledger.account.events-value", new AvroSchema(AccountEvent.getClassSchema().toString()));

    assertThat(ours.lookupId("ledger.account.events-value", AccountEvent.getClassSchema())).isEqualTo(id);
    assertThat(ours.register("ledger.account.events-copy-value", AccountEvent.getClassSchema())).isEqualTo(id);
  }

  @Test
  void confluentsClientFindsWhatOursRegistered() throws Exception {
    int id = ours.register("ledger.account.events-value", AccountEvent.getClassSchema());
    AvroSchema sameSchema = new AvroSchema(AccountEvent.getClassSchema().toString());

    assertThat(confluent.getId("ledger.account.events-value", sameSchema)).isEqualTo(id);
    assertThat(confluent.getLatestSchemaMetadata("ledger.account.events-value").getId()).isEqualTo(id);
    Schema fetched = new Schema.Parser().parse(confluent.getSchemaById(id).canonicalString());
    assertThat(fetched).isEqualTo(AccountEvent.getClassSchema());
  }

  @Test
  void bothClientsSendTheSameSchemaString() throws Exception {
    confluent.register("a-value", new AvroSchema(AccountEvent.getClassSchema().toString()));
    ours.register("b-value", AccountEvent.getClassSchema());

    assertThat(schemaSent(0)).isEqualTo(schemaSent(1));
  }

  @Test
  void agreeOnCompatibility() throws Exception {
    ours.register("orders-value", Samples.ORDER_V1);

    assertThat(confluent.testCompatibility("orders-value", new AvroSchema(Samples.ORDER_V2_REQUIRED_FIELD.toString())))
        .isFalse()
        .isEqualTo(ours.isCompatible("orders-value", Samples.ORDER_V2_REQUIRED_FIELD));
    assertThat(confluent.testCompatibility("orders-value", new AvroSchema(Samples.ORDER_V2_WITH_DEFAULT.toString())))
        .isTrue()
        .isEqualTo(ours.isCompatible("orders-value", Samples.ORDER_V2_WITH_DEFAULT));
  }

  private String schemaSent(int request) throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(registry.requests().get(request).body())
        .path("schema").asText();
  }
}
