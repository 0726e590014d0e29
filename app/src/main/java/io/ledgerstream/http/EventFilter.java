package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.avro.EventMetadata;
import java.util.Collection;

/**
 * Which events a subscription wants: of one aggregate type or all, of one aggregate, of one correlation. The type
 * and the aggregate are checked on the record's topic and key, before the value is decoded.
 *
 * @param aggregateType a registered type's name, or null for all
 * @param aggregateId null for any
 * @param correlationId null for any
 */
record EventFilter(String aggregateType, String aggregateId, String correlationId) {

  /** The filter a request's query asks for; a 400 problem for a type that is not one of {@code types}. */
  static EventFilter of(Context ctx, Collection<String> types) {
    String type = blankToNull(ctx.queryParam("aggregateType"));
    if (type != null && !types.contains(type)) {
      throw Problem.badRequest("query parameter 'aggregateType' must be one of " + types + ", got '" + type + "'");
    }
    return new EventFilter(type, blankToNull(ctx.queryParam("aggregateId")),
        blankToNull(ctx.queryParam("correlationId")));
  }

  /** Whether a record of this aggregate type and key may match, judged without decoding it. */
  boolean mayMatch(String type, String key) {
    return (aggregateType == null || aggregateType.equals(type)) && (aggregateId == null || aggregateId.equals(key));
  }

  boolean matches(EventMetadata metadata) {
    return (aggregateId == null || aggregateId.equals(metadata.getAggregateId()))
        && (correlationId == null || correlationId.equals(metadata.getCorrelationId()));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
