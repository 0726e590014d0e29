package io.ledgerstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.security.Principal;
import io.ledgerstream.streams.AggregateType;
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
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The write side over HTTP: post a command to any registered aggregate type, optionally wait for its result; read a
 * command's result. Waits hold no request thread.
 */
final class CommandRoutes {

  /** The request header a client may give the command id in, as many HTTP APIs take retries' keys. */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final Duration POLL = Duration.ofMillis(10);

  private final Instance instance;
  private final KeyQueries queries;
  private final Forwarder forwarder;
  private final Waits waits;
  private final Visibility visibility;

  CommandRoutes(Instance instance, KeyQueries queries, Forwarder forwarder, Waits waits, Visibility visibility) {
    this.instance = instance;
    this.queries = queries;
    this.forwarder = forwarder;
    this.waits = waits;
    this.visibility = visibility;
  }

  /** {@code POST /<plural>/{id}/commands[?wait=ms]}: 202 at once, or the outcome within {@code wait}. */
  void submit(Context ctx, AggregateType<?, ?, ?> type) {
    String aggregateId = ctx.pathParam("id");
    Long waitMs = Params.optionalLong(ctx, "wait", 0, Params.MAX_WAIT_MS);
    CommandRequest request = CommandRequest.parse(type, aggregateId, ctx.bodyAsBytes(), ctx.header(IDEMPOTENCY_KEY),
        Principal.of(ctx).actor(CommandRequest.ISSUED_BY));
    String source = send(request, aggregateId);
    ctx.header("Location", "/commands/" + encode(request.commandId()) + "?source=" + encode(source));
    if (waitMs == null) {
      Json.respond(ctx, 202, pending(request, aggregateId, source));
      return;
    }
    Waits.respond(ctx, awaitResult(ctx, request.commandId(), source, Instant.now().plusMillis(waitMs))
        .thenAccept(result -> outcome(ctx, request, aggregateId, source, result)));
  }

  /**
   * {@code GET /commands/{commandId}[?source=...][&wait=ms]}: the result of the command that holds the id, or with
   * {@code source} the result of exactly the command written there (its refusal, if another command holds the id),
   * waiting for it up to {@code wait} ms if asked. A scoped token gets only results on aggregates it sees.
   */
  void getCommandResult(Context ctx) {
    String commandId = ctx.pathParam("commandId");
    String source = ctx.queryParam("source");
    Instant until = Instant.now().plusMillis(Params.longParam(ctx, "wait", 0, 0, Params.MAX_WAIT_MS));
    queries.answer(ctx, ProjectionStores.COMMAND_RESULTS, commandId, (c, projections, stale) -> {
      Optional<CommandResult> result = source == null
          ? projections.commandResult(commandId, stale) : projections.commandResult(commandId, source, stale);
      // a token scoped to an owner sees the results of commands on what it sees, and nothing else
      if (result.isPresent()
          && visibility.sees(c, result.get().getAggregateType(), result.get().getAggregateId())) {
        Json.ok(c, result.get());
        return true;
      }
      if (!Instant.now().isBefore(until)) {
        throw Problem.notFound("no result for command '" + commandId + "' (yet)");
      }
      return false;
    });
  }

  private static void outcome(Context ctx, CommandRequest request, String aggregateId, String source,
                              Optional<JsonNode> result) {
    if (result.isEmpty()) {
      Json.respond(ctx, 202, pending(request, aggregateId, source));
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

  /** Hands the command to Kafka; returns where it was written, which names its result. */
  private String send(CommandRequest request, String aggregateId) {
    try {
      return CommandSender.source(
          instance.backend().commands().send(request.aggregateType(), aggregateId, request.envelope()));
    } catch (IllegalStateException e) {
      throw Problem.unavailable("the command could not be handed to Kafka: " + e.getMessage());
    }
  }

  /**
   * The result of the command written at {@code source} from the results projection, here or at the instance that
   * owns the command id, once it is there; empty when it is not there by the deadline.
   */
  private CompletableFuture<Optional<JsonNode>> awaitResult(Context ctx, String commandId, String source,
                                                            Instant deadline) {
    try {
      Optional<HostInfo> owner = queries.owner(ProjectionStores.COMMAND_RESULTS, commandId);
      if (owner.isPresent() && owner.get().equals(instance.self())) {
        Optional<CommandResult> result = instance.backend().projections().commandResult(commandId, source, false);
        if (result.isPresent()) {
          return CompletableFuture.completedFuture(result.map(Json::tree));
        }
      } else if (owner.isPresent()) {
        return askOwner(ctx, owner.get(), commandId, source, deadline).thenCompose(result -> result.isPresent()
            ? CompletableFuture.completedFuture(result) : retry(ctx, commandId, source, deadline));
      }
    } catch (InvalidStateStoreException e) {
      // the results store is moving; look again
    } catch (Problem e) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return retry(ctx, commandId, source, deadline);
  }

  private CompletableFuture<Optional<JsonNode>> retry(Context ctx, String commandId, String source, Instant deadline) {
    if (!Instant.now().isBefore(deadline)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return waits.after(POLL, deadline).thenCompose(ignored -> awaitResult(ctx, commandId, source, deadline));
  }

  private CompletableFuture<Optional<JsonNode>> askOwner(Context ctx, HostInfo owner, String commandId, String source,
                                                         Instant deadline) {
    Duration wait = Waits.remaining(deadline);
    String path = "/commands/" + encode(commandId) + "?source=" + encode(source) + "&wait=" + wait.toMillis();
    return forwarder.get(ctx, owner, path, wait).thenApply(reply -> reply.filter(r -> r.statusCode() == 200)
        .map(r -> parse(owner, r)));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static JsonNode parse(HostInfo owner, HttpResponse<byte[]> reply) {
    try {
      return Json.MAPPER.readTree(reply.body());
    } catch (IOException e) {
      throw new IllegalStateException("instance " + owner + " answered a command result that is not JSON", e);
    }
  }

  private static Map<String, Object> pending(CommandRequest request, String aggregateId, String source) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("commandId", request.commandId());
    body.put("correlationId", request.correlationId());
    body.put("aggregateType", request.aggregateType());
    body.put("aggregateId", aggregateId);
    body.put("type", request.type());
    body.put("status", "PENDING");
    body.put("source", source);
    return body;
  }
}
