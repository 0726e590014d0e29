package io.ledgerstream.streams.generation;

import io.ledgerstream.streams.ConsumerLag;

/**
 * A generation and how far it got.
 *
 * @param streamsState the state of its streams application in this instance, or null when it does not run here
 * @param lag its group's lag per input partition, or null once it ended (or before the first measurement)
 * @param eventsPerSecond input records its group processed per second over the last few seconds
 */
public record GenerationStatus(Generation generation, String streamsState, ConsumerLag lag, double eventsPerSecond) {
}
