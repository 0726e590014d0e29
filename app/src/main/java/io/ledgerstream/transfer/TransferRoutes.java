package io.ledgerstream.transfer;

import static io.ledgerstream.http.OpenApi.allowStale;
import static io.ledgerstream.http.OpenApi.ok;
import static io.ledgerstream.http.OpenApi.op;
import static io.ledgerstream.http.OpenApi.path;
import static io.ledgerstream.http.OpenApi.problems;
import static io.ledgerstream.http.OpenApi.timeout;

import io.javalin.http.Context;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.http.Json;
import io.ledgerstream.http.KeyQueries;
import io.ledgerstream.http.OpenApi;
import io.ledgerstream.http.Problem;
import io.ledgerstream.http.RouteHook;
import io.ledgerstream.http.Routes;
import java.util.List;

/** The transfer's own query: its status. */
public final class TransferRoutes implements RouteHook {

  @Override
  public void addRoutes(Routes routes) {
    KeyQueries queries = routes.queries();
    routes.get("/transfers/{id}", ctx -> transfer(queries, ctx), op("A transfer's status",
        List.of(path("id", "The transfer id"), allowStale(), timeout()),
        ok("TransferState"), problems(400, 404, 503)));
    routes.schema("TransferState", OpenApi.schemaOf(TransferState.getClassSchema()));
  }

  private static void transfer(KeyQueries queries, Context ctx) {
    String id = ctx.pathParam("id");
    queries.answer(ctx, TransferProjections.STATUS, id, (c, projections, stale) -> {
      Json.ok(c, projections.<TransferState>get(TransferProjections.STATUS, id, stale)
          .orElseThrow(() -> Problem.notFound("no transfer '" + id + "'")));
      return true;
    });
  }
}
