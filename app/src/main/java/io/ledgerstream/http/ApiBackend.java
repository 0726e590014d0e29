package io.ledgerstream.http;

import io.ledgerstream.client.CommandSender;
import io.ledgerstream.streams.projection.LocalProjections;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the HTTP API serves from: the projections (read locally), their streams application (for metadata and
 * health), the command side when this instance runs it, the producer of commands, and the event store.
 *
 * @param commandSide null when this instance runs the projections only
 * @param events the event store as live subscriptions read it; null serves no event stream
 */
public record ApiBackend(LocalProjections projections, KafkaStreams projectionsStreams, KafkaStreams commandSide,
                         CommandSender commands, EventLog events) {
}
