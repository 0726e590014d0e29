package io.ledgerstream.http;

import io.ledgerstream.client.CommandSender;
import io.ledgerstream.streams.projection.LocalProjections;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the HTTP API serves from: the projections (read locally), their streams application (for metadata and
 * health), the command side when this instance runs it, and the producer of commands.
 *
 * @param commandSide null when this instance runs the projections only
 */
public record ApiBackend(LocalProjections projections, KafkaStreams projectionsStreams, KafkaStreams commandSide,
                         CommandSender commands) {
}
