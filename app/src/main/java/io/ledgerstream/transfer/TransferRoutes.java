package io.ledgerstream.transfer;

import static io.ledgerstream.http.OpenApi.allowStale;
import static io.ledgerstream.http.OpenApi.ok;
import static io.ledgerstream.http.OpenApi.op;
import static io.ledgerstream.http.OpenApi.path;
import static io.ledgerstream.http.OpenApi.problems;
import static io.ledgerstream.http.OpenApi.query;
import static io.ledgerstream.http.OpenApi.timeout;

import io.javalin.http.Context;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.http.Json;
import io.ledgerstream.http.KeyQueries;
import io.ledgerstream.http.OpenApi;
import io.ledgerstream.http.Params;
import io.ledgerstream.http.Problem;
import io.ledgerstream.http.RouteHook;
import io.ledgerstream.http.Routes;
import io.ledgerstream.http.Visibility;
import io.ledgerstream.streams.projection.ProjectionStores;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transfer's own queries: its status, the transfers in one status (those that need an operator, say), and the
 * correlation id of its causal chain; and the gauge of transfers that need attention.
 */
public final class TransferRoutes implements RouteHook {

  /** The most transfers one page of a scoped token's list reads past, so a page costs a bounded time. */
  static final int MAX_SCANNED = 10_000;

  @Override
  public void addRoutes(Routes routes) {
    KeyQueries queries = routes.queries();
    Visibility visibility = routes.visibility();
    routes.get("/transfers/{id}", ctx -> transfer(queries, visibility, ctx), op("A transfer's status",
        List.of(path("id", "The transfer id"), allowStale(), timeout()),
        ok("TransferState"), problems(400, 404, 503)));
    routes.schema("TransferState", OpenApi.schemaOf(TransferState.getClassSchema()));
    routes.get("/transfers", ctx -> byStatus(queries, visibility, ctx), op("The transfers in one status, a page at a "
        + "time in order of their ids; ?status=NEEDS_ATTENTION lists those an operator must look at",
        List.of(query("status", "string", "REQUESTED, DEBITED, COMPLETED, FAILED or NEEDS_ATTENTION"),
            query("after", "string", "The next page starts after this transfer id (the previous page's next)"),
            query("limit", "integer", "At most this many transfers (1 to 1000, default 100)"), allowStale(),
            timeout()),
        ok("TransfersByStatus"), problems(400, 503)));
    routes.schema("TransfersByStatus", OpenApi.object(Map.of(
        "status", Map.of("type", "string"),
        "transfers", Map.of("type", "array", "items", OpenApi.ref("TransferState")),
        "next", Map.of("type", "string", "description", "Give as ?after= for the next page; absent on the last")),
        List.of("status", "transfers")));
    routes.gauge("ledger.transfers.needs.attention", "Transfers the worker could not bring to an end on its own "
        + "(NEEDS_ATTENTION), in the partitions this instance serves: list them with GET /transfers?status="
        + "NEEDS_ATTENTION", projections -> projections.localCounts().getOrDefault(
            TransferProjections.statusCounter(TransferStatus.NEEDS_ATTENTION.name()), 0L));
    routes.get("/transfers/{id}/correlation", ctx -> correlation(queries, visibility, ctx), op("The correlation id of a "
        + "transfer's causal chain, once the transfer worker started it",
        List.of(path("id", "The transfer id"), allowStale(), timeout()), ok("TransferCorrelation"),
        problems(400, 404, 503)));
    routes.schema("TransferCorrelation", OpenApi.object(Map.of("transferId", Map.of("type", "string"),
        "correlationId", Map.of("type", "string")), List.of("transferId", "correlationId")));
  }

  /**
   * One page of the transfers in a status. A scoped token's page holds only transfers from its owner's accounts: the
   * store is read on past the others until the page is full, the status runs out, {@link #MAX_SCANNED} were read or
   * the request's timeout passed, so {@code next} is absent only on the last page. Each account is checked once.
   */
  private static void byStatus(KeyQueries queries, Visibility visibility, Context ctx) {
    String status = ctx.queryParam("status");
    if (status == null || Arrays.stream(TransferStatus.values()).noneMatch(known -> known.name().equals(status))) {
      throw Problem.badRequest("give ?status= as one of " + Arrays.toString(TransferStatus.values()));
    }
    String after = ctx.queryParam("after");
    int limit = (int) Params.longParam(ctx, "limit", 100, 1, 1000);
    queries.answer(ctx, TransferProjections.BY_STATUS, status, (c, projections, stale) -> {
      List<TransferState> page = new ArrayList<>();
      String read = after;
      int scanned = 0;
      boolean more = true;
      Map<String, Boolean> seen = new HashMap<>();
      Instant deadline = Instant.now().plus(Params.timeout(c));
      while (page.size() < limit && more && scanned < MAX_SCANNED && Instant.now().isBefore(deadline)) {
        List<TransferState> batch = projections.page(TransferProjections.BY_STATUS, status, read, limit, stale);
        int used = 0;
        while (used < batch.size() && page.size() < limit) {
          TransferState transfer = batch.get(used++);
          read = transfer.getTransferId();
          if (seen.computeIfAbsent(transfer.getFrom(), from -> visibility.sees(c, AccountType.TYPE.name(), from))) {
            page.add(transfer);
          }
        }
        scanned += used;
        more = used < batch.size() || batch.size() == limit;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", status);
      body.put("transfers", page);
      if (more) {
        body.put("next", read);
      }
      Json.ok(c, body);
      return true;
    });
  }

  /** A transfer from another owner's account reads as missing to a scoped token. */
  private static void transfer(KeyQueries queries, Visibility visibility, Context ctx) {
    String id = ctx.pathParam("id");
    queries.answer(ctx, TransferProjections.STATUS, id, (c, projections, stale) -> {
      Json.ok(c, projections.<TransferState>get(TransferProjections.STATUS, id, stale)
          .filter(transfer -> visibility.sees(c, AccountType.TYPE.name(), transfer.getFrom()))
          .orElseThrow(() -> Problem.notFound("no transfer '" + id + "'")));
      return true;
    });
  }

  /**
   * Read from the result of the worker's first command to the transfer, whose id the worker derives from the
   * transfer's and which carries the request's correlation id, so a client holding only the transfer id can follow it
   * to {@code /correlations/{id}}. Another owner's transfer reads as not started to a scoped token.
   */
  private static void correlation(KeyQueries queries, Visibility visibility, Context ctx) {
    String transferId = ctx.pathParam("id");
    String debit = TransferWorkerTopology.commandId(transferId, TransferProcess.Step.DEBIT);
    queries.answer(ctx, ProjectionStores.COMMAND_RESULTS, debit, (c, projections, stale) -> {
      CommandResult result = projections.commandResult(debit, stale)
          .filter(found -> found.getCorrelationId() != null)
          .filter(found -> visibility.sees(c, TransferType.TYPE.name(), transferId))
          .orElseThrow(() -> Problem.notFound("no transfer '" + transferId + "' that the transfer worker has started"));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("transferId", transferId);
      body.put("correlationId", result.getCorrelationId());
      Json.ok(c, body);
      return true;
    });
  }
}
