package io.ledgerstream.streams.generation;

import io.ledgerstream.streams.generation.Generation.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every generation of the projections there has been, newest first: exactly one serves, at most one is building.
 * Immutable; each change returns the next value, which {@link GenerationLog} records as one message.
 */
public record Generations(List<Generation> generations) {

  public Generations {
    generations = generations.stream().sorted(Comparator.comparingInt(Generation::number).reversed()).toList();
    if (generations.stream().filter(g -> g.state() == State.SERVING).count() != 1
        || generations.stream().filter(g -> g.state() == State.BUILDING).count() > 1) {
      throw new IllegalArgumentException("need one serving and at most one building generation: " + generations);
    }
  }

  /** Before any rebuild: generation 1 serves. */
  static Generations initial(Instant now) {
    return new Generations(List.of(Generation.initial(now)));
  }

  public Generation serving() {
    return generations.stream().filter(g -> g.state() == State.SERVING).findFirst().orElseThrow();
  }

  public Optional<Generation> building() {
    return generations.stream().filter(g -> g.state() == State.BUILDING).findFirst();
  }

  public Optional<Generation> get(int number) {
    return generations.stream().filter(g -> g.number() == number).findFirst();
  }

  /** A new generation to build; numbers are never reused, since an abandoned one may not be cleaned up yet. */
  Generations startBuilding(Instant now) {
    if (building().isPresent()) {
      throw new IllegalStateException("generation " + building().get().number() + " is already building");
    }
    List<Generation> next = new ArrayList<>(generations);
    next.add(Generation.building(generations.get(0).number() + 1, now));
    return new Generations(next);
  }

  /** The building generation serves from now on and the one that served is retired; no change unless it builds. */
  Generations promote(int number, Instant now) {
    if (!isBuilding(number)) {
      return this;
    }
    int retiring = serving().number();
    return change(number, g -> g.serving(now), retiring, g -> g.ended(State.RETIRED, now));
  }

  /** The building generation is abandoned; no change unless it builds. */
  Generations abandon(int number, Instant now) {
    if (!isBuilding(number)) {
      return this;
    }
    return change(number, g -> g.ended(State.ABANDONED, now), -1, null);
  }

  /** A generation that ended is removed from the cluster; no change unless it ended. */
  Generations cleaned(int number) {
    if (get(number).map(Generation::live).orElse(true)) {
      return this;
    }
    return change(number, Generation::cleaned, -1, null);
  }

  private boolean isBuilding(int number) {
    return building().map(g -> g.number() == number).orElse(false);
  }

  /** Changes one or two generations in one step, so the invariants hold before and after. */
  private Generations change(int number, UnaryOperator<Generation> how, int other, UnaryOperator<Generation> otherHow) {
    if (get(number).isEmpty()) {
      throw new IllegalArgumentException("no generation " + number);
    }
    return new Generations(generations.stream()
        .map(g -> g.number() == number ? how.apply(g) : g.number() == other ? otherHow.apply(g) : g)
        .toList());
  }
}
