package io.ledgerstream.http;

import io.javalin.http.Context;
import io.ledgerstream.streams.ConsumerLag;
import io.ledgerstream.streams.generation.Generation;
import io.ledgerstream.streams.generation.GenerationStatus;
import io.ledgerstream.streams.generation.ProjectionGenerations;
import io.ledgerstream.streams.generation.RebuildInProgressException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Operators' routes for the projections generations: their progress, a blue/green rebuild, abandoning it. */
final class AdminRoutes {

  private final Instance instance;

  AdminRoutes(Instance instance) {
    this.instance = instance;
  }

  /** {@code GET /admin/projections}: every generation, newest first, with its lag per input partition. */
  void projections(Context ctx) {
    List<GenerationStatus> statuses = generations().status();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("serving", number(statuses, Generation.State.SERVING));
    body.put("building", number(statuses, Generation.State.BUILDING));
    body.put("generations", statuses.stream().map(AdminRoutes::describe).toList());
    Json.ok(ctx, body);
  }

  /** {@code POST /admin/projections/rebuild}: 202 with the new generation, 409 while one is building. */
  void rebuild(Context ctx) {
    ProjectionGenerations generations = generations();
    Generation started;
    try {
      started = generations.rebuild();
    } catch (RebuildInProgressException e) {
      throw new Problem(409, "rebuild-in-progress", "Rebuild in progress", e.getMessage()
          + "; follow it at GET /admin/projections or abandon it with POST /admin/projections/rebuild/abandon", null)
          .with("generation", e.building().number());
    } catch (UnsupportedOperationException e) {
      throw Problem.unavailable(e.getMessage());
    }
    ctx.header("Location", "/admin/projections");
    Json.respond(ctx, 202, describe(statusOf(generations, started)));
  }

  /** {@code POST /admin/projections/rebuild/abandon}: stops the building generation and removes it; 404 if none. */
  void abandon(Context ctx) {
    ProjectionGenerations generations = generations();
    Generation abandoned = generations.abandon()
        .orElseThrow(() -> Problem.notFound("no generation of the projections is building"));
    Json.ok(ctx, describe(statusOf(generations, abandoned)));
  }

  private ProjectionGenerations generations() {
    ApiBackend backend = instance.attachedOrNull();
    if (backend == null) {
      throw Problem.unavailable("the node is starting; retry shortly");
    }
    return backend.generations();
  }

  private static GenerationStatus statusOf(ProjectionGenerations generations, Generation generation) {
    return generations.status().stream()
        .filter(status -> status.generation().number() == generation.number())
        .findFirst()
        .orElse(new GenerationStatus(generation, null, null, 0));
  }

  private static Integer number(List<GenerationStatus> statuses, Generation.State state) {
    return statuses.stream().map(GenerationStatus::generation).filter(g -> g.state() == state)
        .map(Generation::number).findFirst().orElse(null);
  }

  static Map<String, Object> describe(GenerationStatus status) {
    Generation generation = status.generation();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("generation", generation.number());
    body.put("applicationId", generation.applicationId());
    body.put("state", generation.state().name());
    body.put("startedAt", generation.startedAt());
    body.put("servingSince", generation.servingSince());
    body.put("endedAt", generation.endedAt());
    body.put("cleanedUp", generation.cleanedUp());
    body.put("streams", status.streamsState());
    ConsumerLag lag = status.lag();
    if (lag != null) {
      body.put("lag", lag.lag());
      body.put("caughtUp", lag.caughtUp());
      body.put("processed", lag.done());
      body.put("total", lag.total());
      body.put("eventsPerSecond", Math.round(status.eventsPerSecond() * 10) / 10.0);
      body.put("partitions", lag.partitions().stream().map(AdminRoutes::describe).toList());
    }
    return body;
  }

  private static Map<String, Object> describe(ConsumerLag.PartitionLag partition) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", partition.topic());
    body.put("partition", partition.partition());
    body.put("committed", partition.committed());
    body.put("end", partition.end());
    body.put("lag", partition.lag());
    return body;
  }
}
