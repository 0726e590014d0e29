package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountClosed;
import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountOpened;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.MoneyWithdrawn;
import io.ledgerstream.avro.TransferRequested;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The upcaster chain of a registration, on stand-in records of the account's event union: MoneyDeposited plays
 * version 1 of an event type, MoneyWithdrawn version 2 and AccountClosed version 3.
 */
class UpcasterChainTest {

  private static final EventMetadata METADATA = EventMetadata.newBuilder().setEventId("e-1").setCommandId("c-1")
      .setCorrelationId("corr-1").setCausationId("c-1").setAggregateId("A-1").setAggregateVersion(4)
      .setOccurredAt(Instant.parse("2024-03-01T09:30:00Z")).build();

  private static final AggregateType<AccountCommand, AccountEvent, AccountState> THREE_VERSIONS = builder()
      .upcaster(MoneyDeposited.class, MoneyWithdrawn.class,
          (v1, metadata) -> new MoneyWithdrawn(v1.getAmountMinor(), v1.getReference(), v1.getChannel()))
      .upcaster(MoneyWithdrawn.class, AccountClosed.class,
          (v2, metadata) -> new AccountClosed(v2.getAmountMinor() + " at version " + metadata.getAggregateVersion()))
      .build();

  @Test
  void aVersionOneEventGoesThroughEveryUpcasterToTheNewest() {
    AccountEvent v1 = new AccountEvent(METADATA, new MoneyDeposited(1250L, "salary", null));

    AccountEvent newest = THREE_VERSIONS.upcast(v1);

    assertThat(newest.getPayload()).isEqualTo(new AccountClosed("1250 at version 4"));
    assertThat(newest.getMetadata()).isEqualTo(METADATA);
    assertThat(v1.getPayload()).as("the event read stays as it was").isEqualTo(new MoneyDeposited(1250L, "salary", null));
  }

  @Test
  void aVersionTwoEventTakesOnlyTheLastStep() {
    AccountEvent newest = THREE_VERSIONS.upcast(new AccountEvent(METADATA, new MoneyWithdrawn(7L, null, null)));

    assertThat(newest.getPayload()).isEqualTo(new AccountClosed("7 at version 4"));
  }

  @Test
  void anEventAlreadyInTheNewestShapeIsReturnedAsItIs() {
    AccountEvent opened = new AccountEvent(METADATA, new AccountOpened("alice", "EUR", 0L, null));

    assertThat(THREE_VERSIONS.upcast(opened)).isSameAs(opened);
    assertThat(AccountType.TYPE.upcast(opened)).isSameAs(opened);
  }

  @Test
  void versionsAreCountedAlongTheChain() {
    assertThat(THREE_VERSIONS.eventVersion(name(MoneyDeposited.class))).hasValue(1);
    assertThat(THREE_VERSIONS.eventVersion(name(MoneyWithdrawn.class))).hasValue(2);
    assertThat(THREE_VERSIONS.eventVersion(name(AccountClosed.class))).hasValue(3);
    assertThat(THREE_VERSIONS.eventVersion(name(AccountOpened.class))).hasValue(1);
    assertThat(THREE_VERSIONS.eventVersion("io.ledgerstream.avro.NoSuchEvent")).isEqualTo(OptionalInt.empty());
    assertThat(THREE_VERSIONS.isOlderEventVersion(name(MoneyWithdrawn.class))).isTrue();
    assertThat(THREE_VERSIONS.isOlderEventVersion(name(AccountClosed.class))).isFalse();
  }

  @Test
  void theEventTypesReadersSeeLeaveTheOlderVersionsOut() {
    assertThat(THREE_VERSIONS.eventTypes()).contains("AccountClosed", "AccountOpened")
        .doesNotContain("MoneyDeposited", "MoneyWithdrawn");
    assertThat(AccountType.TYPE.eventTypes()).contains("MoneyDeposited", "MoneyWithdrawn", "AccountClosed");
  }

  @Test
  void theEventSchemaReadersSeeHasOnlyTheNewestVersionsInItsUnion() {
    assertThat(Envelope.payloadSchemas(THREE_VERSIONS.eventSchema())).extracting(org.apache.avro.Schema::getName)
        .contains("AccountClosed", "AccountOpened").doesNotContain("MoneyDeposited", "MoneyWithdrawn");
    assertThat(AccountType.TYPE.eventSchema()).isEqualTo(AccountEvent.getClassSchema());
  }

  @Test
  void anUpcasterOutsideTheEventUnionIsRefusedAtRegistration() {
    assertThatThrownBy(() -> builder()
        .upcaster(TransferRequested.class, MoneyDeposited.class, (old, metadata) -> null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.ledgerstream.avro.TransferRequested is not a payload of io.ledgerstream.avro.AccountEvent");
  }

  @Test
  void aSecondUpcasterForOneVersionIsRefused() {
    assertThatThrownBy(() -> builder()
        .upcaster(MoneyDeposited.class, MoneyWithdrawn.class, (old, metadata) -> null)
        .upcaster(MoneyDeposited.class, AccountClosed.class, (old, metadata) -> null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has two upcasters");
  }

  @Test
  void upcastersGoingRoundInACircleAreRefused() {
    assertThatThrownBy(() -> builder()
        .upcaster(MoneyDeposited.class, MoneyWithdrawn.class, (old, metadata) -> null)
        .upcaster(MoneyWithdrawn.class, MoneyDeposited.class, (old, metadata) -> null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("circle");
  }

  @Test
  void anUpcasterReturningAnotherRecordFailsTheRead() {
    AggregateType<AccountCommand, AccountEvent, AccountState> wrong = builder()
        .upcaster(MoneyDeposited.class, MoneyWithdrawn.class, (old, metadata) -> null).build();

    assertThatThrownBy(() -> wrong.upcast(new AccountEvent(METADATA, new MoneyDeposited(1L, null, null))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a io.ledgerstream.avro.MoneyWithdrawn");
  }

  private static AggregateType.Builder<AccountCommand, AccountEvent, AccountState> builder() {
    return AggregateType.builder("stand-in", AccountCommand.class, AccountEvent.class, AccountState.class,
        AccountType.BINDING).tag("s");
  }

  private static String name(Class<?> record) {
    return org.apache.avro.specific.SpecificData.get().getSchema(record).getFullName();
  }
}
