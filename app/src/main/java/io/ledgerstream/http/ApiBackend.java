package io.ledgerstream.http;

import io.ledgerstream.client.CommandSender;
import io.ledgerstream.dlq.DeadLetters;
import io.ledgerstream.streams.generation.ProjectionGenerations;
import io.ledgerstream.streams.projection.LocalProjections;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the HTTP API serves from: the projections generations (queries read the serving one, read locally), the
 * command side when this instance runs it, the producer of commands, and the event store.
 *
 * @param commandSide null when this instance runs the projections only
 * @param events the event store as live subscriptions read it; null serves no event stream
 * @param deadLetters the dead-letter topic for {@code /admin/dlq}; null serves no dead letters
 */
public record ApiBackend(ProjectionGenerations generations, KafkaStreams commandSide, CommandSender commands,
                         EventLog events, DeadLetters deadLetters) {

  /** A backend that serves no dead letters. */
  public ApiBackend(ProjectionGenerations generations, KafkaStreams commandSide, CommandSender commands,
                    EventLog events) {
    this(generations, commandSide, commands, events, null);
  }

  /** A backend whose projections are one streams application that cannot be rebuilt. */
  public ApiBackend(LocalProjections projections, KafkaStreams projectionsStreams, KafkaStreams commandSide,
                    CommandSender commands, EventLog events) {
    this(ProjectionGenerations.pinned(projectionsStreams, projections), commandSide, commands, events, null);
  }

  /** The serving generation's stores; a later call may answer from a newer generation. */
  public LocalProjections projections() {
    return generations.serving().projections();
  }

  /** The serving generation's streams application. */
  public KafkaStreams projectionsStreams() {
    return generations.serving().streams();
  }
}
