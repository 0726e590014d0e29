package io.ledgerstream.registry;

import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.Rejection;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;

/** Records and schemas the registry tests share. */
final class Samples {

  static final Schema ORDER_V1 = new Schema.Parser().parse("""
      {"type": "record", "name": "Order", "namespace": "test",
       "fields": [{"name": "id", "type": "string"}]}""");
  static final Schema ORDER_V2_WITH_DEFAULT = new Schema.Parser().parse("""
      {"type": "record", "name": "Order", "namespace": "test",
       "fields": [{"name": "id", "type": "string"},
                  {"name": "note", "type": ["null", "string"], "default": null}]}""");
  static final Schema ORDER_V2_REQUIRED_FIELD = new Schema.Parser().parse("""
      {"type": "record", "name": "Order", "namespace": "test",
       "fields": [{"name": "id", "type": "string"}, {"name": "amount", "type": "long"}]}""");

  private Samples() {
  }

  static AccountEvent moneyDeposited() {
    return AccountEvent.newBuilder()
        .setMetadata(EventMetadata.newBuilder()
            .setEventId("e-1").setCommandId("c-1").setCorrelationId("corr-1").setCausationId("c-1")
            .setAggregateId("acc-1").setAggregateVersion(3).setOccurredAt(Instant.parse("2024-05-06T07:08:09.123Z"))
            .build())
        .setPayload(MoneyDeposited.newBuilder().setAmountMinor(4200).setReference("rent").setChannel("http").build())
        .build();
  }

  static CommandResult rejectedCommand() {
    return CommandResult.newBuilder()
        .setCommandId("c-9").setAggregateType("account").setAggregateId("acc-1")
        .setStatus(CommandStatus.REJECTED)
        .setRejection(Rejection.newBuilder().setCode("INSUFFICIENT_FUNDS").setMessage("balance 10 < 25").build())
        .setVersion(4).setEventIds(List.of("e-7", "e-8")).setCorrelationId("corr-9")
        .setProcessedAt(Instant.parse("2024-05-06T07:08:10Z"))
        .build();
  }
}
