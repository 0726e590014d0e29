package io.ledgerstream.streams.replay;

import io.ledgerstream.streams.replay.DiffReport.AggregateDifference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Compares two event logs of one aggregate type aggregate by aggregate, version by version. */
final class EventLogDiff {

  private final Map<String, List<RecordedEvent>> production;
  private final Map<String, List<RecordedEvent>> shadow;

  EventLogDiff(Collection<RecordedEvent> production, Collection<RecordedEvent> shadow) {
    this.production = byAggregate(production);
    this.shadow = byAggregate(shadow);
  }

  /** Every aggregate either side has, in id order. */
  List<String> aggregateIds() {
    TreeSet<String> ids = new TreeSet<>(production.keySet());
    ids.addAll(shadow.keySet());
    return List.copyOf(ids);
  }

  /** When the aggregate's first production event happened, if production has one. */
  Optional<Instant> began(String aggregateId) {
    return production.getOrDefault(aggregateId, List.of()).stream().findFirst().map(RecordedEvent::occurredAt);
  }

  /** The first version where the type or payload differs, or where only one side has an event; empty if none. */
  Optional<AggregateDifference> compare(String aggregateId) {
    List<RecordedEvent> ours = production.getOrDefault(aggregateId, List.of());
    List<RecordedEvent> theirs = shadow.getOrDefault(aggregateId, List.of());
    for (int i = 0; i < Math.max(ours.size(), theirs.size()); i++) {
      RecordedEvent left = i < ours.size() ? ours.get(i) : null;
      RecordedEvent right = i < theirs.size() ? theirs.get(i) : null;
      if (left == null || right == null || left.version() != right.version()
          || !Objects.equals(left.payload(), right.payload())) {
        long version = left != null ? left.version() : right.version();
        return Optional.of(new AggregateDifference(aggregateId, version, ours.size(), theirs.size(),
            left == null ? null : left.describe(), right == null ? null : right.describe()));
      }
    }
    return Optional.empty();
  }

  /** Each aggregate's events by version; a version recorded twice keeps its first record. */
  private static Map<String, List<RecordedEvent>> byAggregate(Collection<RecordedEvent> events) {
    Map<String, TreeMap<Long, RecordedEvent>> versions = new TreeMap<>();
    for (RecordedEvent event : events) {
      versions.computeIfAbsent(event.aggregateId(), id -> new TreeMap<>()).putIfAbsent(event.version(), event);
    }
    return versions.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        entry -> new ArrayList<>(entry.getValue().values())));
  }
}
