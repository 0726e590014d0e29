package io.ledgerstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.Money;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.Rejection;
import io.ledgerstream.avro.v2.TransferRequested;
import io.ledgerstream.streams.RecordJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The API's JSON mapper. */
class JsonTest {

  private static final Instant AT = Instant.parse("2024-05-01T10:15:30.123Z");
  /** What the API wrote before records were written directly: Jackson over {@link RecordJson#toMap}. */
  private static final ObjectMapper THROUGH_MAPS = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @Test
  void theApiMapperWritesRecordsNestedInPlainJavaValues() {
    AccountState state = new AccountState("A-1", "alice", "EUR", 0L, 0L, AccountStatus.CLOSED, 1L, AT, AT, List.of(), null);
    String json = new String(Json.bytes(Map.of("accounts", List.of(state))));
    assertThat(json).contains("\"status\":\"CLOSED\"").contains("\"openedAt\":\"2024-05-01T10:15:30.123Z\"")
        .doesNotContain("schema");
  }

  @Test
  void anAccountSummaryIsWrittenByteForByteAsBefore() {
    AccountState state = new AccountState("A-1", "alice \"Al\" ü", "EUR", -1500L, 2000L, AccountStatus.OPEN, 3L, AT,
        AT.plusSeconds(1), List.of("T-1"), null);
    assertThat(new String(Json.bytes(state), StandardCharsets.UTF_8)).isEqualTo("{\"accountId\":\"A-1\","
        + "\"owner\":\"alice \\\"Al\\\" ü\",\"currency\":\"EUR\",\"balanceMinor\":-1500,\"overdraftLimitMinor\":2000,"
        + "\"status\":\"OPEN\",\"version\":3,\"openedAt\":\"2024-05-01T10:15:30.123Z\","
        + "\"updatedAt\":\"2024-05-01T10:15:31.123Z\",\"transfersInFlight\":[\"T-1\"],\"holder\":null}");
  }

  @Test
  void everyKindOfRecordServedIsWrittenAsItsMapWas() throws Exception {
    EventMetadata metadata = new EventMetadata("e-1", "c-1", "corr", null, "A-1", 2L, AT, null);
    GenericData.Array<String> ids = new GenericData.Array<>(
        Schema.createArray(Schema.create(Schema.Type.STRING)), List.of("e-1", "e-2"));
    List<IndexedRecord> records = List.of(
        new AccountState("A-1", "alice", "EUR", 0L, 0L, AccountStatus.CLOSED, 1L, AT, AT, List.of(), null),
        new AccountEvent(metadata, new MoneyDeposited(250L, "salary", null)),
        CommandResult.newBuilder().setCommandId("c-1").setAggregateType("account").setAggregateId("A-1")
            .setStatus(CommandStatus.REJECTED).setRejection(new Rejection("INSUFFICIENT_FUNDS", "not enough"))
            .setVersion(4L).setEventIds(List.of()).setCorrelationId("corr").setProcessedAt(AT).build(),
        CommandResult.newBuilder().setCommandId("c-2").setAggregateType("account").setAggregateId("A-1")
            .setStatus(CommandStatus.ACCEPTED).setVersion(2L).setEventIds(ids).build(),
        new TransferRequested("A-1", "A-2", new Money(100L, "EUR")),
        oddRecord());
    for (IndexedRecord record : records) {
      Object wrapped = Map.of("items", List.of(record));
      Object mapped = Map.of("items", List.of(RecordJson.toMap(record)));
      assertThat(new String(Json.bytes(wrapped), StandardCharsets.UTF_8))
          .isEqualTo(THROUGH_MAPS.writeValueAsString(mapped));
      assertThat(Json.bytes(record)).isEqualTo(THROUGH_MAPS.writeValueAsBytes(RecordJson.toMap(record)));
    }
  }

  /** A union of records whose chosen record has a field named {@code type}, maps, bytes, doubles and booleans. */
  private static GenericRecord oddRecord() {
    Schema left = SchemaBuilder.record("Left").fields().requiredString("type").requiredLong("n").endRecord();
    Schema right = SchemaBuilder.record("Right").fields().requiredBoolean("flag").endRecord();
    Schema outer = SchemaBuilder.record("Outer").fields()
        .name("choice").type(Schema.createUnion(left, right)).noDefault()
        .name("other").type(Schema.createUnion(left, right)).noDefault()
        .name("scores").type().map().values().doubleType().noDefault()
        .name("raw").type().bytesType().noDefault()
        .name("ratio").type().floatType().noDefault()
        .endRecord();
    GenericRecord chosen = new GenericData.Record(left);
    chosen.put("type", "own");
    chosen.put("n", 7L);
    GenericRecord other = new GenericData.Record(right);
    other.put("flag", true);
    GenericRecord record = new GenericData.Record(outer);
    record.put("choice", chosen);
    record.put("other", other);
    record.put("scores", Map.of("a", 1.5));
    record.put("raw", java.nio.ByteBuffer.wrap(new byte[] {1, 2, (byte) 255}));
    record.put("ratio", 0.25f);
    return record;
  }
}
