package io.ledgerstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.CommandResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private static final String SCOPE = "avro-serde-test";

  @AfterEach
  void dropScopes() {
    InMemorySchemaRegistry.drop(SCOPE);
    InMemorySchemaRegistry.drop(SCOPE + "-other");
  }

  @Test
  void roundTripsAnAccountEventWithItsPayload() {
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, new InMemorySchemaRegistry(), true);
    AccountEvent event = Samples.moneyDeposited();

    byte[] bytes = serde.serializer().serialize("ledger.account.events", event);

    assertThat(serde.deserializer().deserialize("ledger.account.events", bytes)).isEqualTo(event);
  }

  @Test
  void roundTripsACommandResultWithRejectionAndEventIds() {
    AvroSerde<CommandResult> serde = new AvroSerde<>(CommandResult.class, new InMemorySchemaRegistry(), true);
    CommandResult result = Samples.rejectedCommand();

    CommandResult decoded = serde.deserialize("ledger.command-results", serde.serialize("ledger.command-results", result));

    assertThat(decoded).isEqualTo(result);
    assertThat(decoded.getRejection().getCode()).isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(decoded.getEventIds()).containsExactly("e-7", "e-8");
  }

  @Test
  void writesTheConfluentWireFormatWithTheRegisteredId() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.register("other-value", Samples.ORDER_V1);
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, registry, true);

    byte[] bytes = serde.serialize("ledger.account.events", Samples.moneyDeposited());

    assertThat(bytes[0]).isZero();
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt())
        .isEqualTo(registry.lookupId("ledger.account.events-value", AccountEvent.getClassSchema()))
        .isEqualTo(2);
  }

  @Test
  void threadsEncodingAtOnceEachGetTheSameBytesAsOneAlone() throws Exception {
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, new InMemorySchemaRegistry(), true);
    byte[] alone = serde.serialize("ledger.account.events", Samples.moneyDeposited());
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(threads.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            byte[] bytes = serde.serialize("ledger.account.events", Samples.moneyDeposited());
            if (!Arrays.equals(bytes, alone) || !serde.deserialize("ledger.account.events", bytes).equals(
                Samples.moneyDeposited())) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> run : runs) {
        assertThat(run.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void leavesTombstonesNull() {
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, new InMemorySchemaRegistry(), true);

    assertThat(serde.serialize("t", null)).isNull();
    assertThat(serde.deserialize("t", null)).isNull();
  }

  @Test
  void sharesOneIdWhenTheSameSchemaIsWrittenToTwoTopics() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, registry, true);

    byte[] first = serde.serialize("ledger.account.events", Samples.moneyDeposited());
    byte[] second = serde.serialize("ledger.account.events-copy", Samples.moneyDeposited());

    assertThat(first).isEqualTo(second);
    assertThat(registry.latestVersion("ledger.account.events-value").id())
        .isEqualTo(registry.latestVersion("ledger.account.events-copy-value").id());
  }

  @Test
  void usesTheKeySubjectWhenConfiguredForKeys() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, registry, true);
    serde.configure(Map.of(), true);

    serde.serialize("keyed", Samples.moneyDeposited());

    assertThat(registry.subjects()).containsExactly("keyed-key");
  }

  @Test
  void configuredFromKafkaStyleConfigsWithAMockUrl() {
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class);
    serde.configure(Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE,
        SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS, "true"), false);

    byte[] bytes = serde.serialize("ledger.account.events", Samples.moneyDeposited());

    assertThat(InMemorySchemaRegistry.scope(SCOPE).subjects()).containsExactly("ledger.account.events-value");
    assertThat(serde.deserialize("ledger.account.events", bytes)).isEqualTo(Samples.moneyDeposited());
  }

  @Test
  void serdesConfiguredWithTheSameMockUrlShareOneRegistry() {
    Map<String, Object> configs = Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE,
        SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS, true);
    Serializer<AccountEvent> producerSide = new AvroSerde<>(AccountEvent.class).serializer();
    producerSide.configure(configs, false);
    Deserializer<AccountEvent> consumerSide = new AvroSerde<>(AccountEvent.class).deserializer();
    consumerSide.configure(Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE), false);

    byte[] bytes = producerSide.serialize("ledger.account.events", Samples.moneyDeposited());

    assertThat(consumerSide.deserialize("ledger.account.events", bytes)).isEqualTo(Samples.moneyDeposited());
  }

  @Test
  void mockScopesAreIsolatedFromEachOther() {
    AvroSerde<AccountEvent> writer = new AvroSerde<>(AccountEvent.class);
    writer.configure(Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE, SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS, true), false);
    AvroSerde<AccountEvent> readerElsewhere = new AvroSerde<>(AccountEvent.class);
    readerElsewhere.configure(Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE + "-other"), false);

    byte[] bytes = writer.serialize("ledger.account.events", Samples.moneyDeposited());

    assertThatThrownBy(() -> readerElsewhere.deserialize("ledger.account.events", bytes))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.reason()).isEqualTo(AvroSerdeException.Reason.UNKNOWN_SCHEMA_ID));
  }

  @Test
  void droppingAScopeStartsAnEmptyRegistry() {
    InMemorySchemaRegistry.scope(SCOPE).register("s-value", Samples.ORDER_V1);

    InMemorySchemaRegistry.drop(SCOPE);

    assertThat(InMemorySchemaRegistry.scope(SCOPE).subjects()).isEmpty();
    assertThat(InMemorySchemaRegistry.scope(SCOPE).register("s-value", Samples.ORDER_V2_WITH_DEFAULT)).isEqualTo(1);
  }

  @Test
  void refusesToSerializeAnUnregisteredSchemaWhenAutoRegisterIsOff() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, registry, false);

    assertThatThrownBy(() -> serde.serialize("ledger.account.events", Samples.moneyDeposited()))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> {
          assertThat(e.reason()).isEqualTo(AvroSerdeException.Reason.SCHEMA_NOT_REGISTERED);
          assertThat(e).hasMessageContaining("ledger.account.events-value")
              .hasMessageContaining("io.ledgerstream.avro.AccountEvent")
              .hasMessageContaining("auto.register.schemas");
        });
    assertThat(registry.subjects()).isEmpty();
  }

  @Test
  void refusesWhenTheSubjectHoldsOnlyOtherSchemasAndAutoRegisterIsOff() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.register("ledger.account.events-value", Samples.ORDER_V1);
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, registry, false);

    assertThatThrownBy(() -> serde.serialize("ledger.account.events", Samples.moneyDeposited()))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.reason()).isEqualTo(AvroSerdeException.Reason.SCHEMA_NOT_REGISTERED));
  }

  @Test
  void serializesWithTheRegisteredIdWhenAutoRegisterIsOff() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.register("unrelated-value", Samples.ORDER_V1);
    int id = registry.register("ledger.account.events-value", AccountEvent.getClassSchema());
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, registry, false);

    byte[] bytes = serde.serialize("ledger.account.events", Samples.moneyDeposited());

    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(registry.latestVersion("ledger.account.events-value").version()).isEqualTo(1);
  }

  @Test
  void autoRegisterIsOffUnlessConfigured() {
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class);
    serde.configure(Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE), false);

    assertThatThrownBy(() -> serde.serialize("ledger.account.events", Samples.moneyDeposited()))
        .isInstanceOfSatisfying(AvroSerdeException.class,
            e -> assertThat(e.reason()).isEqualTo(AvroSerdeException.Reason.SCHEMA_NOT_REGISTERED));
  }

  @Test
  void reportsARegistryThatRefusesTheSchema() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.register("ledger.account.events-value", Samples.ORDER_V1);
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, registry, true);

    assertThatThrownBy(() -> serde.serialize("ledger.account.events", Samples.moneyDeposited()))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> {
          assertThat(e.reason()).isEqualTo(AvroSerdeException.Reason.SCHEMA_REJECTED);
          assertThat(e.getCause()).isInstanceOf(IncompatibleSchemaException.class);
        });
  }

  @Test
  void reportsARecordThatBreaksItsOwnSchema() {
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, new InMemorySchemaRegistry(), true);
    AccountEvent event = Samples.moneyDeposited();
    event.getMetadata().setEventId(null);

    assertThatThrownBy(() -> serde.serialize("ledger.account.events", event))
        .isInstanceOfSatisfying(AvroSerdeException.class, e -> {
          assertThat(e.reason()).isEqualTo(AvroSerdeException.Reason.INVALID_RECORD);
          assertThat(e).hasMessageContaining("eventId");
        });
  }

  @Test
  void keepsTheGivenClientWhenConfigured() {
    InMemorySchemaRegistry given = new InMemorySchemaRegistry();
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class, given, false);
    serde.configure(Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE, SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS, "true"), false);

    serde.serialize("ledger.account.events", Samples.moneyDeposited());

    assertThat(given.subjects()).containsExactly("ledger.account.events-value");
    assertThat(InMemorySchemaRegistry.scope(SCOPE).subjects()).isEmpty();
  }

  @Test
  void explainsUseBeforeConfigure() {
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class);

    assertThatThrownBy(() -> serde.serialize("t", Samples.moneyDeposited()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema.registry.url");
  }
}
