package io.ledgerstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An event written before {@code channel} existed still reads into the current classes. */
class AccountEventV1FixtureTest {

  private static final String SCOPE = "account-event-v1-fixture";
  private static final String SUBJECT = "ledger.account.events-value";

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistry.drop(SCOPE);
  }

  @Test
  void readsAMoneyDepositedWrittenWithVersionOne() throws IOException {
    Schema v1 = new Schema.Parser().parse(resource("account-event-v1.avsc"));
    assertThat(InMemorySchemaRegistry.scope(SCOPE).register(SUBJECT, v1)).isEqualTo(1);
    AvroSerde<AccountEvent> serde = new AvroSerde<>(AccountEvent.class);
    serde.configure(Map.of(SchemaRegistryConfig.URL, "mock://" + SCOPE), false);

    AccountEvent event = serde.deserialize("ledger.account.events", bytes("account-event-v1-money-deposited.bin"));

    EventMetadata metadata = event.getMetadata();
    assertThat(metadata.getEventId()).isEqualTo("3f2b6c1e-8a4d-4f0e-9b7a-1c2d3e4f5a6b");
    assertThat(metadata.getCommandId()).isEqualTo("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    assertThat(metadata.getCorrelationId()).isEqualTo("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    assertThat(metadata.getCausationId()).isEqualTo("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    assertThat(metadata.getAggregateId()).isEqualTo("acc-1001");
    assertThat(metadata.getAggregateVersion()).isEqualTo(2L);
    assertThat(metadata.getOccurredAt()).isEqualTo(Instant.parse("2024-03-01T09:30:00Z"));
    // issuedBy came later: an event written before it reads with its default
    assertThat(metadata.getIssuedBy()).isNull();
    assertThat(event.getPayload()).isInstanceOfSatisfying(MoneyDeposited.class, deposited -> {
      assertThat(deposited.getAmountMinor()).isEqualTo(1250L);
      assertThat(deposited.getReference()).isEqualTo("salary");
      assertThat(deposited.getChannel()).isNull();
    });
  }

  @Test
  void versionOneIsTheCurrentSchemaWithoutChannel() throws IOException {
    Schema v1 = new Schema.Parser().parse(resource("account-event-v1.avsc"));

    assertThat(v1.getFullName()).isEqualTo(AccountEvent.getClassSchema().getFullName());
    assertThat(branch(v1, "MoneyDeposited").getField("channel")).isNull();
    assertThat(branch(v1, "MoneyWithdrawn").getField("channel")).isNull();
    assertThat(branch(AccountEvent.getClassSchema(), "MoneyDeposited").getField("channel")).isNotNull();
    assertThat(CompatibilityLevel.BACKWARD.incompatibility(AccountEvent.getClassSchema(), java.util.List.of(v1))).isEmpty();
  }

  private static Schema branch(Schema event, String name) {
    return event.getField("payload").schema().getTypes().stream()
        .filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  private static String resource(String name) throws IOException {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String name) throws IOException {
    try (InputStream in = AccountEventV1FixtureTest.class.getResourceAsStream("/fixtures/" + name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return in.readAllBytes();
    }
  }
}
