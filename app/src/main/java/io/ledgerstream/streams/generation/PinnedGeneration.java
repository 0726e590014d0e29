package io.ledgerstream.streams.generation;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/** A single projections application that serves for ever: what {@link ProjectionGenerations#pinned} returns. */
record PinnedGeneration(Serving serving) implements ProjectionGenerations {

  @Override
  public List<GenerationStatus> status() {
    return List.of(new GenerationStatus(serving.generation(), serving.streams().state().name(), null, 0));
  }

  @Override
  public Generation rebuild() {
    throw new UnsupportedOperationException("these projections run without generations and cannot be rebuilt");
  }

  @Override
  public Optional<Generation> abandon() {
    return Optional.empty();
  }

  @Override
  public void onSwitch(Consumer<KafkaStreams> listener) {
  }
}
