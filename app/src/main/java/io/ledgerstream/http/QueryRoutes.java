package io.ledgerstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import io.ledgerstream.security.Principal;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.projection.CausalOrder;
import io.ledgerstream.streams.projection.CorrelationEntry;
import io.ledgerstream.streams.projection.ProjectionStores;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;

/** The generic read side over HTTP: any aggregate's events where its key lives, and correlations from every instance. */
final class QueryRoutes {

  /** The most entries of a correlation in one page. */
  static final int MAX_CORRELATION_PAGE = 1000;
  private static final ObjectMapper ENTRIES = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .build();

  private final KeyQueries queries;
  private final SpreadQueries spread;
  private final Visibility visibility;

  QueryRoutes(KeyQueries queries, SpreadQueries spread, Visibility visibility) {
    this.queries = queries;
    this.spread = spread;
    this.visibility = visibility;
  }

  /**
   * {@code GET /<plural>/{id}/events?fromVersion=&limit=}: one page of the aggregate's events, oldest first; another
   * owner's aggregate reads as missing to a scoped token.
   */
  void events(Context ctx, AggregateType<?, ?, ?> type) {
    String id = ctx.pathParam("id");
    long fromVersion = Params.longParam(ctx, "fromVersion", 1, 1, Long.MAX_VALUE);
    int limit = (int) Params.longParam(ctx, "limit", 100, 1, 1000);
    queries.answer(ctx, ProjectionStores.history(type.name()), id, (c, projections, stale) -> {
      List<SpecificRecord> events = projections.history(type.name(), id, fromVersion, limit, stale);
      if ((events.isEmpty() && fromVersion == 1) || !visibility.sees(c, type.name(), id)) {
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

  /**
   * {@code GET /correlations/{id}?limit=&cursor=}: one page of the correlation in causal order. Each instance files
   * the entries of its own partitions, so every instance's part is gathered and ordered here; {@code nextCursor}
   * names the page's last entry, and the next page starts after it. A scoped token gets the entries of the aggregates
   * it sees only, paged as if there were no others, and a 404 when it sees none.
   */
  void correlation(Context ctx) {
    String id = ctx.pathParam("id");
    int limit = (int) Params.longParam(ctx, "limit", MAX_CORRELATION_PAGE, 1, MAX_CORRELATION_PAGE);
    String cursor = ctx.queryParam("cursor");
    spread.answer(ctx, projections -> projections.localCorrelation(id), (c, parts) -> {
      List<CorrelationEntry> entries = visibleTo(c, CausalOrder.sort(parts.stream().map(QueryRoutes::entry).toList()));
      if (entries.isEmpty()) {
        throw Problem.notFound("nothing is correlated by '" + id + "'");
      }
      int from = 0;
      if (cursor != null) {
        from = 1 + entries.stream().map(CorrelationEntry::entryId).toList().indexOf(cursor);
        if (from == 0) {
          throw Problem.badRequest("cursor '" + cursor + "' is no entry of correlation '" + id + "'");
        }
      }
      List<CorrelationEntry> page = entries.subList(from, Math.min(entries.size(), from + limit));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("correlationId", id);
      body.put("entries", page.stream().map(CorrelationEntry::opened).toList());
      boolean more = from + page.size() < entries.size();
      body.put("nextCursor", more ? page.get(page.size() - 1).entryId() : null);
      Json.ok(c, body);
    });
  }

  /** The entries on aggregates the request's token sees; each aggregate is checked once, all at the same time. */
  private List<CorrelationEntry> visibleTo(Context ctx, List<CorrelationEntry> entries) {
    Principal principal = Principal.of(ctx);
    if (principal.scopedOwner().isEmpty()) {
      return entries;
    }
    Map<String, CompletableFuture<Visibility.Seen>> checks = new HashMap<>();
    entries.forEach(entry -> checks.computeIfAbsent(aggregateOf(entry),
        key -> visibility.check(principal, entry.aggregateType(), entry.aggregateId())));
    Duration timeout = Params.timeout(ctx);
    return entries.stream()
        .filter(entry -> Visibility.await(checks.get(aggregateOf(entry)), timeout) == Visibility.Seen.YES)
        .toList();
  }

  private static String aggregateOf(CorrelationEntry entry) {
    return entry.aggregateType() + '\u0000' + entry.aggregateId();
  }

  private static CorrelationEntry entry(JsonNode json) {
    try {
      return ENTRIES.treeToValue(json, CorrelationEntry.class);
    } catch (JsonProcessingException e) {
      throw Problem.unavailable("an instance answered a correlation entry that does not read back: "
          + e.getOriginalMessage());
    }
  }
}
