package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.Rejection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  private static final Instant AT = Instant.parse("2024-05-01T10:15:30.123Z");

  @Test
  void writesTimestampsAsIsoStringsAndEnumsAsNames() {
    AccountState state = new AccountState("A-1", "alice", "EUR", 1500L, 0L, AccountStatus.OPEN, 3L, AT, AT, List.of("T-1"), null);
    assertThat(RecordJson.toMap(state)).containsExactly(
        Map.entry("accountId", "A-1"), Map.entry("owner", "alice"), Map.entry("currency", "EUR"),
        Map.entry("balanceMinor", 1500L), Map.entry("overdraftLimitMinor", 0L), Map.entry("status", "OPEN"),
        Map.entry("version", 3L), Map.entry("openedAt", "2024-05-01T10:15:30.123Z"),
        Map.entry("updatedAt", "2024-05-01T10:15:30.123Z"), Map.entry("transfersInFlight", List.of("T-1")),
        new java.util.AbstractMap.SimpleEntry<>("holder", null));
  }

  @Test
  void namesTheRecordChosenFromAUnionOfSeveralRecords() {
    EventMetadata metadata = new EventMetadata("e-1", "c-1", "c-1", "c-1", "A-1", 2L, AT, "teller");
    AccountEvent event = new AccountEvent(metadata, new MoneyDeposited(250L, "salary", "http"));
    Map<String, Object> json = RecordJson.toMap(event);
    assertThat(json.get("payload")).isEqualTo(Map.of("type", "MoneyDeposited", "amountMinor", 250L,
        "reference", "salary", "channel", "http"));
    assertThat(((Map<?, ?>) json.get("metadata")).get("occurredAt")).isEqualTo("2024-05-01T10:15:30.123Z");
    assertThat(((Map<?, ?>) json.get("metadata")).get("issuedBy")).isEqualTo("teller");
  }

  @Test
  void leavesANullableRecordUntaggedAndKeepsArrays() {
    CommandResult result = CommandResult.newBuilder().setCommandId("c-1").setAggregateType("account")
        .setAggregateId("A-1").setStatus(CommandStatus.REJECTED)
        .setRejection(new Rejection("INSUFFICIENT_FUNDS", "not enough")).setVersion(4L)
        .setEventIds(List.of()).build();
    Map<String, Object> json = RecordJson.toMap(result);
    assertThat(json.get("rejection")).isEqualTo(Map.of("code", "INSUFFICIENT_FUNDS", "message", "not enough"));
    assertThat(json.get("eventIds")).isEqualTo(List.of());
    assertThat(json.get("processedAt")).isNull();
  }

  @Test
  void writesAvroArraysAsLists() {
    GenericData.Array<String> ids = new GenericData.Array<>(
        Schema.createArray(Schema.create(Schema.Type.STRING)), List.of("e-1", "e-2"));
    CommandResult result = CommandResult.newBuilder().setCommandId("c-1").setAggregateType("account")
        .setAggregateId("A-1").setStatus(CommandStatus.ACCEPTED).setVersion(2L).setEventIds(ids).build();
    assertThat(RecordJson.toMap(result).get("eventIds")).isEqualTo(List.of("e-1", "e-2"));
  }
}
