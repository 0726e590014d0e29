package io.ledgerstream.streams.generation;

import io.ledgerstream.streams.projection.LocalProjections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The generations of the projections as the HTTP API sees them: the one that answers queries now, and the blue/green
 * rebuild of a new one from the logs.
 */
public interface ProjectionGenerations {

  /** The generation that answers queries, with its streams application and its local stores. */
  record Serving(Generation generation, KafkaStreams streams, LocalProjections projections) {
  }

  /** The generation serving now; it may change between two calls. */
  Serving serving();

  /** Every generation, newest first, with its progress where it runs. */
  List<GenerationStatus> status();

  /**
   * Starts building a new generation from the beginning of the logs; it will serve once it caught up.
   *
   * @throws RebuildInProgressException when a generation is already building
   */
  Generation rebuild();

  /** Stops the building generation and removes its state, if one is building; returns it as abandoned. */
  Optional<Generation> abandon();

  /** Calls the listener with the new serving streams application whenever another generation starts serving. */
  void onSwitch(Consumer<KafkaStreams> listener);

  /** One streams application that always serves and cannot be rebuilt, for embeddings without generations. */
  static ProjectionGenerations pinned(KafkaStreams streams, LocalProjections projections) {
    return new PinnedGeneration(new Serving(Generation.initial(java.time.Instant.now()), streams, projections));
  }
}
