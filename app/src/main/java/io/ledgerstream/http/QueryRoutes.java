package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.account.AccountProjections;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.streams.projection.CorrelationEntry;
import io.ledgerstream.streams.projection.LocalProjections;
import io.ledgerstream.streams.projection.ProjectionStores;
import io.ledgerstream.transfer.TransferProjections;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The read side over HTTP: every route reads one key's projection where that key lives. */
final class QueryRoutes {

  private static final Duration POLL = Duration.ofMillis(10);

  private final KeyQueries queries;

  QueryRoutes(KeyQueries queries) {
    this.queries = queries;
  }

  /** {@code GET /accounts/{id}}: the summary, optionally once it reached {@code minVersion}, or as of a past point. */
  void account(Context ctx) {
    String id = ctx.pathParam("id");
    Long minVersion = Params.optionalLong(ctx, "minVersion", 0, Long.MAX_VALUE);
    Long asOfVersion = Params.optionalLong(ctx, "asOfVersion", 0, Long.MAX_VALUE);
    Instant asOf = Params.optionalInstant(ctx, "asOf");
    Instant deadline = Instant.now().plus(Params.timeout(ctx));
    if (asOfVersion != null || asOf != null) {
      if (minVersion != null) {
        throw Problem.badRequest("minVersion cannot be combined with asOfVersion or asOf");
      }
      queries.answer(ctx, AccountProjections.HISTORY, id, (c, projections, stale) -> Json.ok(c,
          AccountAsOf.rebuild(projections, id, asOfVersion, asOf, stale)
              .orElseThrow(() -> Problem.notFound("account '" + id + "' did not exist at that point"))));
      return;
    }
    queries.answer(ctx, AccountProjections.SUMMARY, id, (c, projections, stale) ->
        Json.ok(c, summary(projections, id, minVersion, deadline, stale)));
  }

  /** {@code GET /accounts/{id}/events?fromVersion=&limit=}: one page of the account's events, oldest first. */
  void accountEvents(Context ctx) {
    String id = ctx.pathParam("id");
    long fromVersion = Params.longParam(ctx, "fromVersion", 1, 1, Long.MAX_VALUE);
    int limit = (int) Params.longParam(ctx, "limit", 100, 1, 1000);
    queries.answer(ctx, AccountProjections.HISTORY, id, (c, projections, stale) -> {
      List<AccountEvent> events = projections.<AccountEvent>history(AccountType.TYPE.name(), id, fromVersion, limit, stale);
      if (events.isEmpty() && fromVersion == 1) {
        throw Problem.notFound("no account '" + id + "'");
      }
      long next = events.isEmpty() ? fromVersion : events.get(events.size() - 1).getMetadata().getAggregateVersion() + 1;
      Map<String, Object> page = new LinkedHashMap<>();
      page.put("accountId", id);
      page.put("events", events);
      page.put("nextFromVersion", next);
      Json.ok(c, page);
    });
  }

  void ownerAccounts(Context ctx) {
    String owner = ctx.pathParam("owner");
    queries.answer(ctx, AccountProjections.BY_OWNER, owner, (c, projections, stale) -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("owner", owner);
      body.put("accounts", projections.<AccountState>withPrefix(AccountProjections.BY_OWNER, owner, stale));
      Json.ok(c, body);
    });
  }

  void transfer(Context ctx) {
    String id = ctx.pathParam("id");
    queries.answer(ctx, TransferProjections.STATUS, id, (c, projections, stale) ->
        Json.ok(c, projections.<TransferState>get(TransferProjections.STATUS, id, stale).orElseThrow(() -> Problem.notFound("no transfer '" + id + "'"))));
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
    });
  }

  private static AccountState summary(LocalProjections projections, String id, Long minVersion, Instant deadline,
                                      boolean stale) {
    while (true) {
      Optional<AccountState> state = projections.<AccountState>get(AccountProjections.SUMMARY, id, stale);
      if (state.isPresent() && (minVersion == null || state.get().getVersion() >= minVersion)) {
        return state.get();
      }
      if (minVersion == null) {
        throw Problem.notFound("no account '" + id + "'");
      }
      if (!Instant.now().isBefore(deadline)) {
        throw Problem.timeout("account '" + id + "' is at version " + state.map(AccountState::getVersion).orElse(0L)
            + " here, not yet at " + minVersion + "; retry or raise timeout (ms, at most " + Params.MAX_WAIT_MS + ")");
      }
      KeyQueries.pause(POLL);
    }
  }
}
