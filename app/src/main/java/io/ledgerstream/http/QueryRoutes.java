package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.projection.CorrelationEntry;
import io.ledgerstream.streams.projection.ProjectionStores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** The generic read side over HTTP: any aggregate's events, and correlations; each reads where its key lives. */
final class QueryRoutes {

  private final KeyQueries queries;

  QueryRoutes(KeyQueries queries) {
    this.queries = queries;
  }

  /** {@code GET /<plural>/{id}/events?fromVersion=&limit=}: one page of the aggregate's events, oldest first. */
  void events(Context ctx, AggregateType<?, ?, ?> type) {
    String id = ctx.pathParam("id");
    long fromVersion = Params.longParam(ctx, "fromVersion", 1, 1, Long.MAX_VALUE);
    int limit = (int) Params.longParam(ctx, "limit", 100, 1, 1000);
    queries.answer(ctx, ProjectionStores.history(type.name()), id, (c, projections, stale) -> {
      List<SpecificRecord> events = projections.history(type.name(), id, fromVersion, limit, stale);
      if (events.isEmpty() && fromVersion == 1) {
        throw Problem.notFound("no " + type.name() + " '" + id + "'");
      }
      long next = events.isEmpty() ? fromVersion
          : Envelope.eventMetadata(events.get(events.size() - 1)).getAggregateVersion() + 1;
      Map<String, Object> page = new LinkedHashMap<>();
      page.put(OpenApi.idMember(type), id);
      page.put("events", events);
      page.put("nextFromVersion", next);
      Json.ok(c, page);
      return true;
    });
  }

  void correlation(Context ctx) {
    String id = ctx.pathParam("id");
    queries.answer(ctx, ProjectionStores.CORRELATIONS, id, (c, projections, stale) -> {
      List<CorrelationEntry> entries = projections.correlation(id, stale);
      if (entries.isEmpty()) {
        throw Problem.notFound("nothing is correlated by '" + id + "'");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("correlationId", id);
      body.put("entries", entries);
      Json.ok(c, body);
      return true;
    });
  }
}
