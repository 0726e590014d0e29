package io.ledgerstream.streams.replay;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.streams.AggregateTopics;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.ConsumerLag;
import io.ledgerstream.streams.Envelope;
import io.ledgerstream.streams.RecordSerdes;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.replay.DiffReport.AggregateDifference;
import io.ledgerstream.streams.replay.DiffReport.AggregateSection;
import io.ledgerstream.streams.replay.DiffReport.ResultDifference;
import io.ledgerstream.streams.replay.DiffReport.ResultSection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;

/**
 * Compares what a shadow replay wrote with what production holds: per aggregate the events (same type and payload
 * at every version), the latest snapshots, and the result of every command both processed. Aggregates that began
 * before the oldest recorded command are left out, since the replay could not see their first commands.
 */
public final class ShadowDiff {

  private ShadowDiff() {
  }

  /** Compares the topics of these aggregate types with the shadow replay's under {@code prefix}. */
  public static DiffReport compare(Map<String, Object> clientProperties, RecordSerdes serdes,
                                   List<AggregateType<?, ?, ?>> types, String prefix) {
    Topics production = new Topics(serdes, types);
    Topics shadow = Topics.shadow(serdes, types, prefix);
    CommandHorizon horizon;
    long replayBehind;
    try (Admin admin = Admin.create(clientProperties)) {
      requireShadow(admin, shadow, prefix);
      List<String> commandTopics = production.commandTopics();
      horizon = CommandHorizon.read(admin, clientProperties, commandTopics, production.eventTopics());
      replayBehind = ConsumerLag.measure(admin, ShadowReplay.applicationId(prefix), commandTopics, List.of()).lag();
    }
    Reader reader = new Reader(clientProperties);
    Map<String, EventLogDiff> logs = new HashMap<>();
    List<AggregateSection> sections = new ArrayList<>();
    for (AggregateTopics<?, ?, ?> ours : production.aggregates()) {
      String type = ours.type().name();
      AggregateTopics<?, ?, ?> theirs = shadow.of(type);
      logs.put(type, new EventLogDiff(reader.events(ours.events()), reader.events(theirs.events())));
      sections.add(section(type, logs.get(type), horizon, reader.latest(ours.state()), reader.latest(theirs.state())));
    }
    ResultSection results = results(reader.latest(production.commandResults), reader.latest(shadow.commandResults),
        logs, horizon);
    return new DiffReport(prefix, horizon, sections, results, replayBehind, reader.unreadable);
  }

  private static AggregateSection section(String type, EventLogDiff log, CommandHorizon horizon,
                                          Map<String, ? extends SpecificRecord> productionState,
                                          Map<String, ? extends SpecificRecord> shadowState) {
    int compared = 0;
    int skipped = 0;
    List<AggregateDifference> differences = new ArrayList<>();
    List<String> snapshots = new ArrayList<>();
    for (String id : log.aggregateIds()) {
      if (!replayable(log, id, horizon)) {
        skipped++;
        continue;
      }
      compared++;
      log.compare(id).ifPresent(differences::add);
      if (!Objects.equals(productionState.get(id), shadowState.get(id))) {
        snapshots.add(id);
      }
    }
    return new AggregateSection(type, compared, skipped, differences, snapshots);
  }

  private static ResultSection results(Map<String, CommandResult> production, Map<String, CommandResult> shadow,
                                       Map<String, EventLogDiff> logs, CommandHorizon horizon) {
    Set<String> ids = new TreeSet<>(production.keySet());
    ids.addAll(shadow.keySet());
    int compared = 0;
    int onlyInProduction = 0;
    int onlyInShadow = 0;
    List<ResultDifference> differences = new ArrayList<>();
    for (String commandId : ids) {
      CommandResult ours = production.get(commandId);
      CommandResult theirs = shadow.get(commandId);
      if (ours == null || theirs == null) {
        onlyInProduction += ours == null ? 0 : 1;
        onlyInShadow += theirs == null ? 0 : 1;
        continue;
      }
      EventLogDiff log = logs.get(ours.getAggregateType());
      if (log != null && !replayable(log, ours.getAggregateId(), horizon)) {
        continue;
      }
      compared++;
      if (!ours.equals(theirs)) {
        differences.add(new ResultDifference(commandId, describe(ours), describe(theirs)));
      }
    }
    return new ResultSection(compared, differences, onlyInProduction, onlyInShadow);
  }

  private static boolean replayable(EventLogDiff log, String aggregateId, CommandHorizon horizon) {
    return log.began(aggregateId).map(horizon::replayable).orElse(true);
  }

  private static String describe(CommandResult result) {
    return result.getStatus() + (result.getRejection() == null ? "" : " " + result.getRejection().getCode())
        + " at version " + result.getVersion() + " with events " + result.getEventIds();
  }

  private static void requireShadow(Admin admin, Topics shadow, String prefix) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      String results = shadow.commandResults.name();
      if (!existing.contains(results)) {
        throw new IllegalArgumentException("there is no shadow replay with prefix '" + prefix + "' (no topic "
            + results + "); run replay --to-topic-prefix " + prefix + " first");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not list topics: " + e, e);
    }
  }

  /** Reads whole topics, counting what does not decode. */
  private static final class Reader {

    private final Map<String, Object> clientProperties;
    private long unreadable;

    Reader(Map<String, Object> clientProperties) {
      this.clientProperties = clientProperties;
    }

    <E extends SpecificRecord> List<RecordedEvent> events(Topic<String, E> topic) {
      TopicContents<E> contents = TopicContents.read(clientProperties, topic.name(), topic.valueSerde().deserializer());
      unreadable += contents.unreadable();
      return contents.entries().stream().filter(entry -> entry.value() != null).map(entry -> {
        EventMetadata meta = Envelope.eventMetadata(entry.value());
        Instant occurredAt = meta.getOccurredAt();
        return new RecordedEvent(meta.getAggregateId(), meta.getAggregateVersion(), occurredAt,
            Envelope.payload(entry.value()));
      }).toList();
    }

    <V> Map<String, V> latest(Topic<String, V> topic) {
      TopicContents<V> contents = TopicContents.read(clientProperties, topic.name(), topic.valueSerde().deserializer());
      unreadable += contents.unreadable();
      return contents.latestByKey();
    }
  }
}
