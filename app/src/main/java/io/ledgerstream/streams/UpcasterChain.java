package io.ledgerstream.streams;

import io.ledgerstream.avro.EventMetadata;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * An aggregate type's upcasters, one per older version of an event type, composed so that a payload written in any
 * version reads as the newest: v1 -> v2 -> ... -> current. Versions are counted along the chain: a payload record no
 * upcaster leads to is version 1, the one its upcaster makes is version 2, and so on.
 */
final class UpcasterChain {

  private final Map<String, Step<?, ?>> byOlder;
  private final Map<String, Integer> versions = new HashMap<>();

  /**
   * The chain of these steps over the event envelope's payload records; throws {@link IllegalArgumentException} when a
   * step names a record outside the union, a record has two upcasters, or the steps go round in a circle.
   */
  UpcasterChain(Schema envelope, List<Step<?, ?>> steps) {
    Map<String, Schema> payloads = new LinkedHashMap<>();
    Envelope.payloadSchemas(envelope).forEach(payload -> payloads.put(payload.getFullName(), payload));
    Map<String, Step<?, ?>> older = new LinkedHashMap<>();
    for (Step<?, ?> step : steps) {
      for (String name : List.of(step.from(), step.to())) {
        if (!payloads.containsKey(name)) {
          throw new IllegalArgumentException(name + " is not a payload of " + envelope.getFullName()
              + ": an upcaster's records must both stay in the event union " + payloads.keySet());
        }
      }
      if (step.from().equals(step.to())) {
        throw new IllegalArgumentException("an upcaster must lead from " + step.from() + " to another record");
      }
      if (older.putIfAbsent(step.from(), step) != null) {
        throw new IllegalArgumentException(step.from() + " has two upcasters; it needs exactly one");
      }
    }
    this.byOlder = Map.copyOf(older);
    payloads.keySet().forEach(name -> version(name, payloads.size()));
  }

  /** The payload in the newest shape of its event type: the payload itself when it already is. */
  SpecificRecord upcast(SpecificRecord payload, EventMetadata metadata) {
    SpecificRecord current = payload;
    for (Step<?, ?> step = next(current); step != null; step = next(current)) {
      current = step.apply(current, metadata);
    }
    return current;
  }

  /** Whether an upcaster reads this payload record (by full name) as a newer one: it is never written any more. */
  boolean isOlder(String payloadName) {
    return byOlder.containsKey(payloadName);
  }

  /** The version of its event type this payload record (by full name) is, 1 for one no upcaster leads to. */
  OptionalInt version(String payloadName) {
    Integer version = versions.get(payloadName);
    return version == null ? OptionalInt.empty() : OptionalInt.of(version);
  }

  boolean isEmpty() {
    return byOlder.isEmpty();
  }

  private Step<?, ?> next(SpecificRecord payload) {
    return payload == null ? null : byOlder.get(payload.getSchema().getFullName());
  }

  /** One more than the longest chain of upcasters leading to the record; {@code budget} stops a circle. */
  private int version(String name, int budget) {
    Integer known = versions.get(name);
    if (known != null) {
      return known;
    }
    if (budget < 0) {
      throw new IllegalArgumentException("the upcasters go round in a circle through " + name);
    }
    int version = 1;
    for (Step<?, ?> step : byOlder.values()) {
      if (step.to().equals(name)) {
        version = Math.max(version, version(step.from(), budget - 1) + 1);
      }
    }
    versions.put(name, version);
    return version;
  }

  /** One registered upcaster with its two records. */
  record Step<O extends SpecificRecord, N extends SpecificRecord>(Class<O> older, Class<N> newer,
                                                                   Upcaster<O, N> upcaster) {

    String from() {
      return SpecificData.get().getSchema(older).getFullName();
    }

    String to() {
      return SpecificData.get().getSchema(newer).getFullName();
    }

    SpecificRecord apply(SpecificRecord payload, EventMetadata metadata) {
      N upcast = upcaster.upcast(older.cast(payload), metadata);
      if (!newer.isInstance(upcast)) {
        throw new IllegalStateException("the upcaster from " + from() + " returned " + upcast + ", not a " + to());
      }
      return upcast;
    }
  }
}
