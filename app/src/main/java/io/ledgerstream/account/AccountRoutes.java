package io.ledgerstream.account;

import static io.ledgerstream.http.OpenApi.allowStale;
import static io.ledgerstream.http.OpenApi.object;
import static io.ledgerstream.http.OpenApi.ok;
import static io.ledgerstream.http.OpenApi.op;
import static io.ledgerstream.http.OpenApi.path;
import static io.ledgerstream.http.OpenApi.problems;
import static io.ledgerstream.http.OpenApi.query;
import static io.ledgerstream.http.OpenApi.queryDateTime;
import static io.ledgerstream.http.OpenApi.ref;
import static io.ledgerstream.http.OpenApi.scope;
import static io.ledgerstream.http.OpenApi.timeout;

import io.javalin.http.Context;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.http.Json;
import io.ledgerstream.http.KeyQueries;
import io.ledgerstream.http.OpenApi;
import io.ledgerstream.http.Params;
import io.ledgerstream.http.Problem;
import io.ledgerstream.http.RouteHook;
import io.ledgerstream.http.Routes;
import io.ledgerstream.http.SpreadQueries;
import io.ledgerstream.privacy.KeyRing;
import io.ledgerstream.privacy.PersonalData;
import io.ledgerstream.security.Principal;
import io.ledgerstream.streams.CommandInput;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The account's own queries: its summary (now, once it reached a version, or as of an earlier point), the accounts of
 * an owner, and the totals per currency in {@code GET /stats}.
 */
public final class AccountRoutes implements RouteHook {

  @Override
  public void addRoutes(Routes routes) {
    KeyQueries queries = routes.queries();
    routes.get("/accounts/{id}", ctx -> account(queries, ctx), op("An account's summary, now or as of an earlier point",
        List.of(
            path("id", "The account id"),
            query("minVersion", "integer", "Wait until the summary reached this version (read-your-writes); 504 "
                + "after timeout"),
            query("asOfVersion", "integer", "The state right after this version, rebuilt from the events"),
            queryDateTime("asOf", "The state at this ISO-8601 instant, rebuilt from the events"),
            allowStale(), timeout()),
        ok("AccountState"), problems(400, 404, 503, 504)));
    routes.get("/owners/{owner}/accounts", ctx -> ownerAccounts(routes.spread(), ctx), op("The accounts of one owner",
        List.of(path("owner", "The owner"), scope(), timeout()),
        ok("OwnerAccounts"), problems(400, 503)));
    routes.post("/owners/{owner}/forget", AccountRoutes::forget, op("Forget an owner: destroy the keys of its "
        + "personal data, so every account's holder reads as erased from now on; balances and history stay. "
        + "Idempotent; needs the admin role", List.of(path("owner", "The owner")),
        ok("Forgetting"), problems(400, 401, 403, 404, 503)));
    routes.schema("Forgetting", object(Map.of(
        "owner", Map.of("type", "string"),
        "forgottenBy", Map.of("type", "string", "description", "Who asked: the token's subject"),
        "forgottenAt", Map.of("type", "string", "format", "date-time"),
        "keysDestroyed", Map.of("type", "integer", "description", "0 when an earlier request destroyed them")),
        List.of("owner", "forgottenBy", "forgottenAt", "keysDestroyed")));
    routes.schema("AccountState", OpenApi.schemaOf(AccountState.getClassSchema()));
    routes.schema("OwnerAccounts", object(Map.of(
        "owner", Map.of("type", "string"),
        "accounts", Map.of("type", "array", "items", ref("AccountState"))), List.of("accounts")));
    Map<String, Object> totals = new LinkedHashMap<>(Map.of("currency", Map.of("type", "string")));
    totals.putAll(OpenApi.longs("accounts", "openAccounts", "closedAccounts", "balanceMinor", "depositedMinor",
        "withdrawnMinor", "debitedMinor", "creditedMinor", "refundedMinor", "events"));
    routes.schema("CurrencyTotals", object(totals, List.of()));
    routes.stats("totals", projections -> projections.localSum(AccountProjections.TOTALS, CurrencyTotals::plus),
        Map.of("type", "object", "description", "Per currency code, summed over every instance; money in transit is "
            + "debitedMinor - creditedMinor - refundedMinor", "additionalProperties", ref("CurrencyTotals")));
  }

  /** {@code GET /accounts/{id}}: the summary, optionally once it reached {@code minVersion}, or as of a past point. */
  private static void account(KeyQueries queries, Context ctx) {
    String id = ctx.pathParam("id");
    Long minVersion = Params.optionalLong(ctx, "minVersion", 0, Long.MAX_VALUE);
    Long asOfVersion = Params.optionalLong(ctx, "asOfVersion", 0, Long.MAX_VALUE);
    Instant asOf = Params.optionalInstant(ctx, "asOf");
    Instant deadline = Instant.now().plus(Params.timeout(ctx));
    if (asOfVersion != null || asOf != null) {
      if (minVersion != null) {
        throw Problem.badRequest("minVersion cannot be combined with asOfVersion or asOf");
      }
      queries.answer(ctx, AccountProjections.HISTORY, id, (c, projections, stale) -> {
        Json.ok(c, AccountAsOf.rebuild(projections, id, asOfVersion, asOf, stale).filter(visibleTo(c))
            .orElseThrow(() -> Problem.notFound("account '" + id + "' did not exist at that point")));
        return true;
      });
      return;
    }
    queries.answer(ctx, AccountProjections.SUMMARY, id, (c, projections, stale) -> {
      Optional<AccountState> state = projections.<AccountState>get(AccountProjections.SUMMARY, id, stale)
          .filter(visibleTo(c));
      if (state.isPresent() && (minVersion == null || state.get().getVersion() >= minVersion)) {
        Json.ok(c, state.get());
        return true;
      }
      if (minVersion == null) {
        throw Problem.notFound("no account '" + id + "'");
      }
      if (!Instant.now().isBefore(deadline)) {
        throw Problem.timeout("account '" + id + "' is at version " + state.map(AccountState::getVersion).orElse(0L)
            + " here, not yet at " + minVersion + "; retry or raise timeout (ms, at most " + Params.MAX_WAIT_MS + ")");
      }
      return false;
    });
  }

  /**
   * {@code POST /owners/{owner}/forget}: destroys the owner's data keys in {@code ledger.keys}, which every instance
   * reads, so any instance may answer it; a token scoped to another owner gets 404.
   */
  private static void forget(Context ctx) {
    String owner = ctx.pathParam("owner");
    CommandInput.idProblem("the owner", owner).ifPresent(problem -> {
      throw Problem.badRequest(problem);
    });
    Principal principal = Principal.of(ctx);
    if (!principal.sees(owner)) {
      throw Problem.notFound("no owner '" + owner + "'");
    }
    KeyRing keys = PersonalData.keys().orElseThrow(() -> Problem.unavailable("this instance has no master key "
        + "(--master-key-file), so it holds no personal data to forget; ask one that has"));
    Json.ok(ctx, keys.forget(owner, principal.actor("http")));
  }

  /** Each instance lists the owner's accounts of its own partitions, with their summaries beside them. */
  private static void ownerAccounts(SpreadQueries spread, Context ctx) {
    String owner = ctx.pathParam("owner");
    if (!Principal.of(ctx).sees(owner)) {
      // another owner's accounts read as an owner without any
      Json.ok(ctx, Map.of("owner", owner, "accounts", List.of()));
      return;
    }
    spread.answer(ctx, projections -> projections.<String>localWithPrefix(AccountProjections.BY_OWNER, owner).stream()
        .map(accountId -> projections.<AccountState>localGet(AccountProjections.SUMMARY, accountId))
        .flatMap(Optional::stream)
        .toList(), (c, accounts) -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("owner", owner);
          body.put("accounts", accounts.stream()
              .sorted(Comparator.comparing(account -> account.path("accountId").asText()))
              .toList());
          Json.ok(c, body);
        });
  }

  /** A token scoped to an owner sees only that owner's accounts; any other reads as missing. */
  private static Predicate<AccountState> visibleTo(Context ctx) {
    Principal principal = Principal.of(ctx);
    return state -> principal.sees(state.getOwner());
  }
}
