package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.domain.transfer.TransferProcess;
import io.ledgerstream.streams.projection.ProjectionStores;
import io.ledgerstream.streams.worker.TransferWorkerTopology;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /transfers/{id}/correlation}: the correlation id of a transfer's causal chain, so a client holding only
 * the transfer id can follow it to {@code /correlations/{id}}. It is read from the result of the worker's first
 * command to the transfer, whose id the worker derives from the transfer's, and which carries the request's
 * correlation id.
 */
final class TransferCorrelationRoute {

  private final KeyQueries queries;

  TransferCorrelationRoute(KeyQueries queries) {
    this.queries = queries;
  }

  void answer(Context ctx) {
    String transferId = ctx.pathParam("id");
    String debit = TransferWorkerTopology.commandId(transferId, TransferProcess.Step.DEBIT);
    queries.answer(ctx, ProjectionStores.COMMAND_RESULTS, debit, (c, projections, stale) -> {
      CommandResult result = projections.commandResult(debit, stale)
          .filter(found -> found.getCorrelationId() != null)
          .orElseThrow(() -> Problem.notFound("no transfer '" + transferId + "' that the transfer worker has started"));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("transferId", transferId);
      body.put("correlationId", result.getCorrelationId());
      Json.ok(c, body);
    });
  }
}
