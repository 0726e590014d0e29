package io.ledgerstream.streams.generation;

import io.ledgerstream.streams.ConsumerLag;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;

/** Measures each generation's lag per input partition, and its rate over the last few measurements. */
final class ProgressMeter {

  private static final Duration RATE_WINDOW = Duration.ofSeconds(5);

  private final Admin admin;
  private final List<String> inputTopics;
  private final Function<String, List<String>> internalInputs;
  private final Map<Integer, Deque<ConsumerLag>> samples = new HashMap<>();

  ProgressMeter(Admin admin, List<String> inputTopics, Function<String, List<String>> internalInputs) {
    this.admin = admin;
    this.inputTopics = inputTopics;
    this.internalInputs = internalInputs;
  }

  /** Measures the generation's group now. */
  GenerationStatus measure(Generation generation, String streamsState) {
    String applicationId = generation.applicationId();
    ConsumerLag lag = ConsumerLag.measure(admin, applicationId, inputTopics, internalInputs.apply(applicationId));
    return new GenerationStatus(generation, streamsState, lag, rate(generation.number(), lag));
  }

  /** The generation's last measurement, if it was measured since it last ran. */
  Optional<ConsumerLag> latest(int generation) {
    return Optional.ofNullable(samples.get(generation)).map(Deque::peekLast);
  }

  void forget(int generation) {
    samples.remove(generation);
  }

  /** Input records processed per second over the last few measurements. */
  private double rate(int generation, ConsumerLag latest) {
    Deque<ConsumerLag> window = samples.computeIfAbsent(generation, n -> new ArrayDeque<>());
    window.addLast(latest);
    while (window.size() > 2 && window.peekFirst().measuredAt().isBefore(latest.measuredAt().minus(RATE_WINDOW))) {
      window.removeFirst();
    }
    ConsumerLag first = window.peekFirst();
    double seconds = Duration.between(first.measuredAt(), latest.measuredAt()).toMillis() / 1000.0;
    return seconds <= 0 ? 0 : Math.max(0, (latest.done() - first.done()) / seconds);
  }
}
