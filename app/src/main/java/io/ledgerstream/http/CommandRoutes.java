package io.ledgerstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.streams.projection.LocalProjections;
import io.ledgerstream.streams.projection.ProjectionStores;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/** The write side over HTTP: post a command, optionally wait for its result; read a command's result. */
final class CommandRoutes {

  private static final Duration POLL = Duration.ofMillis(10);

  private final Instance instance;
  private final KeyQueries queries;
  private final Forwarder forwarder;

  CommandRoutes(Instance instance, KeyQueries queries, Forwarder forwarder) {
    this.instance = instance;
    this.queries = queries;
    this.forwarder = forwarder;
  }

  void postAccountCommand(Context ctx) {
    submit(ctx, "account");
  }

  void postTransferCommand(Context ctx) {
    submit(ctx, "transfer");
  }

  /** {@code GET /commands/{commandId}[?wait=ms]}: the result, waiting for it up to {@code wait} ms if asked. */
  void getCommandResult(Context ctx) {
    String commandId = ctx.pathParam("commandId");
    Duration wait = Duration.ofMillis(Params.longParam(ctx, "wait", 0, 0, Params.MAX_WAIT_MS));
    queries.answer(ctx, ProjectionStores.COMMAND_RESULTS, commandId, (c, projections, stale) -> {
      Instant until = Instant.now().plus(wait);
      Optional<CommandResult> result = pollLocally(projections, commandId, stale, until);
      Json.ok(c, result.orElseThrow(() -> Problem.notFound("no result for command '" + commandId + "' (yet)")));
    });
  }

  private void submit(Context ctx, String aggregateType) {
    String aggregateId = ctx.pathParam("id");
    Long waitMs = Params.optionalLong(ctx, "wait", 0, Params.MAX_WAIT_MS);
    CommandRequest request = CommandRequest.parse(aggregateType, ctx.bodyAsBytes());
    send(request, aggregateId);
    ctx.header("Location", "/commands/" + URLEncoder.encode(request.commandId(), StandardCharsets.UTF_8));
    if (waitMs == null) {
      Json.respond(ctx, 202, pending(request, aggregateId));
      return;
    }
    Optional<JsonNode> result = awaitResult(ctx, request.commandId(), Instant.now().plusMillis(waitMs));
    if (result.isEmpty()) {
      Json.respond(ctx, 202, pending(request, aggregateId));
      return;
    }
    JsonNode outcome = result.get();
    if ("ACCEPTED".equals(outcome.path("status").asText())) {
      Json.ok(ctx, outcome);
      return;
    }
    String code = outcome.path("rejection").path("code").asText("REJECTED");
    int status = "VERSION_CONFLICT".equals(code) ? 409 : 422;
    throw Problem.rejected(status, code, outcome.path("rejection").path("message").asText(code))
        .with("commandId", request.commandId())
        .with("result", outcome);
  }

  private void send(CommandRequest request, String aggregateId) {
    try {
      instance.backend().commands().send(request.aggregateType(), aggregateId, request.envelope());
    } catch (IllegalStateException e) {
      throw Problem.unavailable("the command could not be handed to Kafka: " + e.getMessage());
    }
  }

  /** Waits for the command's result in the results projection, here or at the instance that owns the command id. */
  private Optional<JsonNode> awaitResult(Context ctx, String commandId, Instant deadline) {
    while (Instant.now().isBefore(deadline)) {
      try {
        HostInfo owner = queries.owner(ProjectionStores.COMMAND_RESULTS, commandId, deadline);
        Optional<JsonNode> result = owner.equals(instance.self())
            ? pollLocally(instance.backend().projections(), commandId, false, deadline).map(Json::tree)
            : askOwner(ctx, owner, commandId, deadline);
        if (result.isPresent()) {
          return result;
        }
      } catch (InvalidStateStoreException e) {
        KeyQueries.pause(POLL);
      } catch (Problem e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private Optional<JsonNode> askOwner(Context ctx, HostInfo owner, String commandId, Instant deadline) {
    Duration wait = KeyQueries.remaining(deadline);
    String path = "/commands/" + URLEncoder.encode(commandId, StandardCharsets.UTF_8) + "?wait=" + wait.toMillis();
    Optional<HttpResponse<byte[]>> reply = forwarder.get(ctx, owner, path, wait);
    if (reply.isEmpty() || reply.get().statusCode() != 200) {
      KeyQueries.pause(POLL);
      return Optional.empty();
    }
    try {
      return Optional.of(Json.MAPPER.readTree(reply.get().body()));
    } catch (IOException e) {
      throw new IllegalStateException("instance " + owner + " answered a command result that is not JSON", e);
    }
  }

  private static Optional<CommandResult> pollLocally(LocalProjections projections, String commandId, boolean stale,
                                                     Instant until) {
    while (true) {
      Optional<CommandResult> result = projections.commandResult(commandId, stale);
      if (result.isPresent() || !Instant.now().isBefore(until)) {
        return result;
      }
      KeyQueries.pause(POLL);
    }
  }

  private static Map<String, Object> pending(CommandRequest request, String aggregateId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("commandId", request.commandId());
    body.put("correlationId", request.correlationId());
    body.put("aggregateType", request.aggregateType());
    body.put("aggregateId", aggregateId);
    body.put("type", request.type());
    body.put("status", "PENDING");
    return body;
  }
}
