package io.ledgerstream.http;

import io.ledgerstream.http.OwnershipHook.Belonging;
import io.ledgerstream.http.Visibility.Seen;
import io.ledgerstream.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events a token scoped to an owner receives on a subscription: those of aggregates it sees. Whose an aggregate
 * is comes from its first event when the subscription reads it, else from {@link Visibility}; either way it is decided
 * once per aggregate and remembered, so a subscription asks about each aggregate at most once. Only the
 * subscription's reader thread uses it.
 */
final class ScopedEvents implements Predicate<EventLog.Event> {

  /** How long an aggregate the history does not show yet is waited for, before its events are held back. */
  static final Duration LOOKUP_PATIENCE = Duration.ofSeconds(10);
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration LOOKUP_PAUSE = Duration.ofMillis(100);
  private static final int REMEMBERED = 10_000;
  private static final Logger log = LoggerFactory.getLogger(ScopedEvents.class);

  private final Visibility visibility;
  private final Principal principal;
  private final Map<String, Boolean> remembered = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };
  private volatile boolean closed;

  private ScopedEvents(Visibility visibility, Principal principal) {
    this.visibility = visibility;
    this.principal = principal;
  }

  /** Every event for an unscoped principal; only its owner's for a scoped one. */
  static Predicate<EventLog.Event> of(Visibility visibility, Principal principal) {
    return principal.scopedOwner().isEmpty() ? event -> true : new ScopedEvents(visibility, principal);
  }

  @Override
  public boolean test(EventLog.Event event) {
    String type = event.aggregateType();
    String id = event.metadata().getAggregateId();
    Boolean known = remembered.get(key(type, id));
    if (known != null) {
      return known;
    }
    Optional<OwnershipHook> hook = visibility.hookOf(type);
    boolean seen;
    if (hook.isEmpty()) {
      seen = false;
    } else if (event.metadata().getAggregateVersion() == 1) {
      seen = sees(hook.get().ownedBy(event.record()));
    } else {
      seen = lookUp(type, id);
    }
    remembered.put(key(type, id), seen);
    return seen;
  }

  /** Stops waiting for the history; what is not decided yet is held back. */
  void close() {
    closed = true;
  }

  private boolean sees(Belonging belonging) {
    if (belonging.aggregateType() == null) {
      return belonging.owner() != null && principal.sees(belonging.owner());
    }
    String key = key(belonging.aggregateType(), belonging.aggregateId());
    Boolean known = remembered.get(key);
    if (known != null) {
      return known;
    }
    boolean seen = lookUp(belonging.aggregateType(), belonging.aggregateId());
    remembered.put(key, seen);
    return seen;
  }

  /** Asks whose the aggregate is, waiting a while for a history that is behind the event store. */
  private boolean lookUp(String type, String id) {
    long deadline = System.nanoTime() + LOOKUP_PATIENCE.toNanos();
    while (!closed) {
      try {
        Seen seen = Visibility.await(visibility.check(principal, type, id), LOOKUP_TIMEOUT);
        if (seen != Seen.NOT_YET) {
          return seen == Seen.YES;
        }
      } catch (Problem problem) {
        log.debug("Whose {} '{}' is cannot be told yet: {}", type, id, problem.getMessage());
      }
      if (System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(LOOKUP_PAUSE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    // never pass on what could not be checked
    return false;
  }

  private static String key(String type, String id) {
    return type + '\u0000' + id;
  }
}
