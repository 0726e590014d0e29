package io.ledgerstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.ledgerstream.security.AccessPolicy;
import io.ledgerstream.security.Principal;
import io.ledgerstream.streams.AggregateType;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Keeps a token scoped to one owner to that owner's data: it reaches only the routes the types' {@link OwnershipHook}s
 * check and the generic reads that filter by them (anything else is a 404, as for a missing id), and its commands are
 * sent only when the aggregate they touch is known to be its owner's. An aggregate not (yet) in the projections is refused, unless the command creates it for
 * the token's owner: projection lag never lets a scoped token act on what it does not own.
 */
final class OwnerScope {

  /** The generic reads that filter by the types' ownership hooks (see {@link Visibility}), beside each events route. */
  private static final List<String> FILTERED_READS = List.of("/events/stream", "/correlations/*", "/commands/*");

  private final Instance instance;
  private final KeyQueries queries;
  private final Forwarder forwarder;

  OwnerScope(Instance instance, KeyQueries queries, Forwarder forwarder) {
    this.instance = instance;
    this.queries = queries;
    this.forwarder = forwarder;
  }

  /** Whether a scoped token may make this request at all; its handler still checks the owner. */
  static boolean admits(List<AggregateType<?, ?, ?>> types, String method, String path) {
    String verb = method.equalsIgnoreCase("HEAD") ? "GET" : method.toUpperCase(Locale.ROOT);
    for (AggregateType<?, ?, ?> type : types) {
      for (OwnershipHook hook : type.hooks(OwnershipHook.class)) {
        if (verb.equals("POST") && AccessPolicy.pathMatches("/" + type.plural() + "/*/commands", path)) {
          return true;
        }
        if (verb.equals("GET") && (AccessPolicy.pathMatches("/" + type.plural() + "/*/events", path)
            || FILTERED_READS.stream().anyMatch(read -> AccessPolicy.pathMatches(read, path)))) {
          return true;
        }
        if (verb.equals("GET") && hook.scopedReads().stream().anyMatch(read -> AccessPolicy.pathMatches(read, path))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Runs {@code submit} if the principal may send this command to this aggregate; a 404 or 403 if not. */
  void submit(Context ctx, AggregateType<?, ?, ?> type, Runnable submit) {
    Optional<String> scoped = Principal.of(ctx).scopedOwner();
    if (scoped.isEmpty()) {
      submit.run();
      return;
    }
    String aggregateId = ctx.pathParam("id");
    Problem missing = Problem.notFound("no " + type.name() + " '" + aggregateId + "'");
    OwnershipHook hook = type.hooks(OwnershipHook.class).stream().findFirst().orElseThrow(() -> missing);
    JsonNode command = command(ctx);
    Optional<String> creates = hook.createsFor(command);
    if (creates.isPresent() && !creates.get().equals(scoped.get())) {
      throw Problem.forbidden("a token scoped to owner '" + scoped.get() + "' creates only that owner's "
          + type.plural());
    }
    OwnershipHook.OwnedKey key = hook.commandKey(aggregateId, command);
    if (key == null || key.key() == null) {
      // nothing to check the owner of: the command is incomplete, and parsing it says how
      throw Problem.invalidCommand("the command names no " + type.name() + " it may be checked against");
    }
    Optional<String> recorded = recordedOwner(ctx, hook, key, scoped.get());
    boolean own = recorded.map(scoped.get()::equals).orElse(creates.isPresent());
    if (!own) {
      throw key.key().equals(aggregateId) ? missing : Problem.notFound("no '" + key.key() + "' to send this "
          + type.name() + " command from");
    }
    submit.run();
  }

  /** The key's owner: read here when this instance holds it, else asked of the instance that does, as the token. */
  private Optional<String> recordedOwner(Context ctx, OwnershipHook hook, OwnershipHook.OwnedKey key, String scoped) {
    HostInfo holder = queries.owner(key.store(), key.key())
        .orElseThrow(() -> Problem.unavailable("the owner of '" + key.key() + "' cannot be checked right now; retry"));
    if (holder.equals(instance.self())) {
      return hook.ownerOf(instance.backend().projections(), key);
    }
    if (Forwarder.isForwarded(ctx)) {
      throw Problem.unavailable("this instance does not hold '" + key.key() + "' now; ask any instance again");
    }
    // a command cannot be forwarded, so wait here for the owner's answer: the route answers 200 only to its owner
    Optional<HttpResponse<byte[]>> reply = forwarder.get(ctx, holder, key.readPath(), Params.timeout(ctx)).join();
    int status = reply.map(HttpResponse::statusCode).orElse(503);
    if (status == 200) {
      return Optional.of(scoped);
    }
    if (status == 404) {
      return Optional.empty();
    }
    throw Problem.unavailable("the owner of '" + key.key() + "' cannot be checked right now; retry");
  }

  private static JsonNode command(Context ctx) {
    try {
      JsonNode json = Json.MAPPER.readTree(ctx.bodyAsBytes());
      if (json != null && json.isObject()) {
        return json;
      }
    } catch (IOException e) {
      // answered below, as the command parser would
    }
    throw Problem.malformedJson("the body must be a JSON object such as {\"type\":\"<command type>\", ...}");
  }
}
