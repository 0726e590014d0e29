package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.streams.Topics;
import java.util.Map;

/**
 * Which events a subscription wants: of one aggregate type or both, of one aggregate, of one correlation. The type
 * and the aggregate are checked on the record's topic and key, before the value is decoded.
 *
 * @param aggregateType {@code account}, {@code transfer}, or null for both
 * @param aggregateId null for any
 * @param correlationId null for any
 */
record EventFilter(String aggregateType, String aggregateId, String correlationId) {

  static final Map<String, String> AGGREGATE_TYPES =
      Map.of(Topics.ACCOUNT_EVENTS, "account", Topics.TRANSFER_EVENTS, "transfer");

  /** The filter a request's query asks for; a 400 problem for an unknown aggregate type. */
  static EventFilter of(Context ctx) {
    String type = blankToNull(ctx.queryParam("aggregateType"));
    if (type != null && !AGGREGATE_TYPES.containsValue(type)) {
      throw Problem.badRequest("query parameter 'aggregateType' must be account or transfer, got '" + type + "'");
    }
    return new EventFilter(type, blankToNull(ctx.queryParam("aggregateId")),
        blankToNull(ctx.queryParam("correlationId")));
  }

  /** Whether a record of this topic and key may match, judged without decoding it. */
  boolean mayMatch(String topic, String key) {
    return (aggregateType == null || aggregateType.equals(AGGREGATE_TYPES.get(topic)))
        && (aggregateId == null || aggregateId.equals(key));
  }

  boolean matches(EventMetadata metadata) {
    return (aggregateId == null || aggregateId.equals(metadata.getAggregateId()))
        && (correlationId == null || correlationId.equals(metadata.getCorrelationId()));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
