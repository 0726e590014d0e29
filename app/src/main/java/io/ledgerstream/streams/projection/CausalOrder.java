package io.ledgerstream.streams.projection;

import io.ledgerstream.streams.projection.CorrelationEntry.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Orders a correlation's entries so that each follows its causes: a command, then its events and its result, then
 * the commands those events caused, and so on. Once a command is listed its events and result come next; otherwise
 * the earliest entry whose causes are all listed comes first. Clocks only break ties, so skew cannot reorder causes.
 */
public final class CausalOrder {

  private static final Map<Kind, Integer> RANK_AT_EQUAL_TIME = Map.of(Kind.EVENT, 0, Kind.RESULT, 1, Kind.COMMAND, 2);

  private static final Comparator<CorrelationEntry> EARLIEST = Comparator
      .comparing(CorrelationEntry::timestamp, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
      .thenComparing(entry -> RANK_AT_EQUAL_TIME.get(entry.kind()))
      .thenComparing(CorrelationEntry::aggregateVersion, Comparator.nullsFirst(Comparator.<Long>naturalOrder()))
      .thenComparing(CorrelationEntry::id);

  private CausalOrder() {
  }

  public static List<CorrelationEntry> sort(Collection<CorrelationEntry> entries) {
    Map<String, CorrelationEntry> commands = new HashMap<>();
    Map<String, CorrelationEntry> events = new HashMap<>();
    Map<String, List<CorrelationEntry>> eventsOfCommand = new HashMap<>();
    for (CorrelationEntry entry : entries) {
      switch (entry.kind()) {
        case COMMAND -> commands.put(entry.id(), entry);
        case EVENT -> {
          events.put(entry.id(), entry);
          eventsOfCommand.computeIfAbsent(entry.commandId(), id -> new ArrayList<>()).add(entry);
        }
        case RESULT -> { }
      }
    }
    Map<CorrelationEntry, List<CorrelationEntry>> effects = new IdentityHashMap<>();
    Map<CorrelationEntry, Integer> pendingCauses = new IdentityHashMap<>();
    for (CorrelationEntry entry : entries) {
      List<CorrelationEntry> causes = causes(entry, commands, events, eventsOfCommand);
      pendingCauses.put(entry, causes.size());
      causes.forEach(cause -> effects.computeIfAbsent(cause, c -> new ArrayList<>()).add(entry));
    }
    // outcomes of listed commands go first, so a command's events and result are not split by the next command
    PriorityQueue<CorrelationEntry> outcomes = new PriorityQueue<>(EARLIEST);
    PriorityQueue<CorrelationEntry> ready = new PriorityQueue<>(EARLIEST);
    pendingCauses.forEach((entry, pending) -> {
      if (pending == 0) {
        ready.add(entry);
      }
    });
    List<CorrelationEntry> ordered = new ArrayList<>(entries.size());
    while (!outcomes.isEmpty() || !ready.isEmpty()) {
      CorrelationEntry next = outcomes.isEmpty() ? ready.poll() : outcomes.poll();
      ordered.add(next);
      for (CorrelationEntry effect : effects.getOrDefault(next, List.of())) {
        if (pendingCauses.merge(effect, -1, Integer::sum) == 0) {
          (effect.kind() == Kind.COMMAND ? ready : outcomes).add(effect);
        }
      }
    }
    // only ids that claim to cause each other in a circle are left; list them rather than lose them
    pendingCauses.entrySet().stream()
        .filter(pending -> pending.getValue() > 0)
        .map(Map.Entry::getKey)
        .sorted(EARLIEST)
        .forEach(ordered::add);
    return ordered;
  }

  private static List<CorrelationEntry> causes(CorrelationEntry entry, Map<String, CorrelationEntry> commands,
                         Map<String, CorrelationEntry> events,
                         Map<String, List<CorrelationEntry>> eventsOfCommand) {
    List<CorrelationEntry> causes = new ArrayList<>();
    switch (entry.kind()) {
      case COMMAND -> {
        // a worker's command names the event it reacts to; a command caused by a command is listed too
        CorrelationEntry cause = entry.causationId() == null ? null
            : events.getOrDefault(entry.causationId(), commands.get(entry.causationId()));
        if (cause != null && cause != entry) {
          causes.add(cause);
        }
      }
      case EVENT -> addIfPresent(causes, commands.get(entry.commandId()));
      case RESULT -> {
        addIfPresent(causes, commands.get(entry.commandId()));
        causes.addAll(eventsOfCommand.getOrDefault(entry.commandId(), List.of()));
      }
    }
    return causes;
  }

  private static void addIfPresent(List<CorrelationEntry> causes, CorrelationEntry cause) {
    if (cause != null) {
      causes.add(cause);
    }
  }
}
