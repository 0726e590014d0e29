package io.ledgerstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.AccountStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's JSON mapper. */
class JsonTest {

  private static final Instant AT = Instant.parse("2024-05-01T10:15:30.123Z");

  @Test
  void theApiMapperWritesRecordsNestedInPlainJavaValues() {
    AccountState state = new AccountState("A-1", "alice", "EUR", 0L, 0L, AccountStatus.CLOSED, 1L, AT, AT, List.of());
    String json = new String(Json.bytes(Map.of("accounts", List.of(state))));
    assertThat(json).contains("\"status\":\"CLOSED\"").contains("\"openedAt\":\"2024-05-01T10:15:30.123Z\"")
        .doesNotContain("schema");
  }
}
