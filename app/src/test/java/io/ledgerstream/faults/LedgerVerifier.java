package io.ledgerstream.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerstream.account.AccountBinding;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.avro.EventMetadata;
import io.ledgerstream.avro.MoneyDeposited;
import io.ledgerstream.avro.MoneyWithdrawn;
import io.ledgerstream.avro.TransferCredited;
import io.ledgerstream.avro.TransferDebited;
import io.ledgerstream.avro.TransferEvent;
import io.ledgerstream.avro.TransferRefunded;
import io.ledgerstream.avro.TransferState;
import io.ledgerstream.avro.TransferStatus;
import io.ledgerstream.faults.LedgerLog.Command;
import io.ledgerstream.faults.LedgerLog.Entry;
import io.ledgerstream.streams.AggregateBinding;
import io.ledgerstream.streams.RecordJson;
import io.ledgerstream.streams.Snapshot;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.transfer.TransferBinding;
import io.ledgerstream.transfer.TransferType;
import io.ledgerstream.transfer.worker.TransferWorkerTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * Checks what one run left on the ledger's topics against the invariants of an exactly-once event-sourced ledger, in
 * the manner of Kafka's own exactly-once system test (every input accounted for in the output, once):
 * <ul>
 *   <li>every honest command record has a result of its own (found by the command record a result names as its
 *       source, once results name one), one per record, all the same for one command id; every result answers a
 *       command that was sent; the transfer worker sent each of its commands once;</li>
 *   <li>an accepted command's result names exactly the events that carry its command id, a rejected one has none,
 *       and every event is named by its command's result;</li>
 *   <li>each aggregate's versions run 1, 2, 3... with no gap or duplicate, in one partition;</li>
 *   <li>each snapshot equals the fold of the aggregate's events up to its version by the aggregate's own decider,
 *       the latest is at the last version, and the projection equals the fold of all of them;</li>
 *   <li>money is conserved: the balances plus what is in flight in debited transfers equal deposits minus
 *       withdrawals, per currency, and the legs of each transfer match its status; every transfer finished;</li>
 *   <li>the dead-letter topic holds exactly the poison records the run injected, each once;</li>
 *   <li>time is the ledger's: command records carry the broker's append time, and events and results fall within
 *       the span of the run's command records;</li>
 *   <li>each hostile command has one result, REJECTED with the code its kind must get, and no event has a hostile
 *       command as its cause: money moves only by honest deposits and withdrawals and by the worker's legs.</li>
 * </ul>
 */
public final class LedgerVerifier {

  private static final AccountBinding ACCOUNTS = AccountType.BINDING;
  private static final TransferBinding TRANSFERS = TransferType.BINDING;
  /** How far outside the span of the run's command records an event or result may be stamped. */
  private static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

  private final LedgerLog log;
  private final List<String> violations = new ArrayList<>();
  private final Map<String, AccountState> accounts = new TreeMap<>();
  private final Map<String, TransferState> transfers = new TreeMap<>();
  private final Map<String, EventRef> eventsById = new HashMap<>();
  private final Map<String, List<EventRef>> eventsByCommand = new HashMap<>();
  private final Map<String, CommandResult> resultByCommand = new HashMap<>();

  /** An event as the checks of results need it. */
  private record EventRef(String type, String aggregateId, long version, String eventId, String commandId) {}

  /** The outcome: every violation found, and what was looked at. */
  public record Verification(List<String> violations, String summary) {

    public boolean clean() {
      return violations.isEmpty();
    }

    /** The summary and up to {@code max} violations, one a line. */
    public String report(int max) {
      StringBuilder report = new StringBuilder(summary).append('\n')
          .append(violations.size()).append(" violation(s)");
      violations.stream().limit(max).forEach(violation -> report.append("\n  - ").append(violation));
      if (violations.size() > max) {
        report.append("\n  ... and ").append(violations.size() - max).append(" more");
      }
      return report.toString();
    }
  }

  private LedgerVerifier(LedgerLog log) {
    this.log = log;
  }

  /**
   * Verifies a run once the system is quiet.
   *
   * @param injectedPoison the poison records the run sent, which must be dead-lettered and nothing else
   * @param hostile the hostile commands the run sent, each of which must be refused with its code and change nothing
   * @param projections where to read the projections; null to leave them out
   */
  public static Verification verify(LedgerLog log, Collection<PoisonRecord> injectedPoison,
                                    Collection<HostileRecord> hostile, ProjectionReader projections) {
    LedgerVerifier verifier = new LedgerVerifier(log);
    log.unreadable.forEach(verifier::violation);
    verifier.checkAggregates(ACCOUNTS, "account", log.accountEvents, log.accountStates,
        event -> event.getMetadata(), verifier.accounts);
    verifier.checkAggregates(TRANSFERS, "transfer", log.transferEvents, log.transferStates,
        event -> event.getMetadata(), verifier.transfers);
    Answers answers = new Answers(log);
    verifier.checkCommandsHaveOneResult(injectedPoison, hostile, answers);
    verifier.checkHostileCommandsWereRefused(hostile, answers);
    verifier.checkResultsMatchEvents();
    verifier.checkNoHostileCommandChangedAnything(hostile);
    verifier.checkMoney();
    verifier.checkTheLedgersClock();
    verifier.checkDeadLetters(injectedPoison);
    if (projections != null) {
      verifier.checkProjections(projections);
    }
    return new Verification(List.copyOf(verifier.violations), verifier.summary());
  }

  /**
   * What the system still owes the run, empty once it is quiet: commands without a result, transfers not finished,
   * poison not dead-lettered yet.
   */
  public static List<String> outstanding(LedgerLog log, Collection<PoisonRecord> injectedPoison) {
    Set<RawRecord> poison = new HashSet<>();
    injectedPoison.forEach(record -> poison.add(record.record()));
    Answers answers = new Answers(log);
    List<String> outstanding = new ArrayList<>();
    log.commands.stream()
        .filter(command -> command.commandId() != null && !poison.contains(command.entry().value()))
        .filter(command -> answers.of(command).isEmpty())
        .forEach(command -> outstanding.add("no result yet for " + command.type() + " " + command.commandId()));
    Map<String, TransferState> transfers = new HashMap<>();
    log.transferStates.forEach(state -> transfers.put(state.key(), state.value()));
    transfers.forEach((id, transfer) -> {
      if (transfer.getStatus() == TransferStatus.REQUESTED || transfer.getStatus() == TransferStatus.DEBITED) {
        outstanding.add("transfer " + id + " is " + transfer.getStatus());
      }
    });
    long lettered = log.deadLetters.stream().filter(letter -> poison.contains(letter.value())).count();
    if (lettered < injectedPoison.size()) {
      outstanding.add((injectedPoison.size() - lettered) + " poison record(s) not dead-lettered yet");
    }
    return outstanding;
  }

  /**
   * The results of a run, found for a command record the way a client finds them: by the command record a result
   * names as its source when results name one (every result of a public command does), else by command id (a worker's
   * command, and every command before results named their source).
   */
  private static final class Answers {

    private final Map<String, List<Entry<CommandResult>>> bySource = new HashMap<>();
    private final Map<String, List<Entry<CommandResult>>> byCommandId = new HashMap<>();
    private final boolean sourced;

    Answers(LedgerLog log) {
      for (Entry<CommandResult> result : log.results) {
        if (result.source() != null) {
          bySource.computeIfAbsent(result.source(), source -> new ArrayList<>()).add(result);
        } else {
          byCommandId.computeIfAbsent(result.value().getCommandId(), id -> new ArrayList<>()).add(result);
        }
      }
      sourced = !bySource.isEmpty();
    }

    List<Entry<CommandResult>> of(Command command) {
      return sourced && isPublic(command.entry().topic())
          ? bySource.getOrDefault(command.entry().asSource(), List.of())
          : byCommandId.getOrDefault(command.commandId(), List.of());
    }

    /**
     * Results that answer none of these command records: once results name their source, one without a source answers
     * only a command the application sent itself.
     */
    List<Entry<CommandResult>> orphans(Collection<Command> commands) {
      Set<String> sources = new HashSet<>();
      Set<String> ids = new HashSet<>();
      commands.forEach(command -> {
        sources.add(command.entry().asSource());
        if (!sourced || !isPublic(command.entry().topic())) {
          ids.add(command.commandId());
        }
      });
      List<Entry<CommandResult>> orphans = new ArrayList<>();
      bySource.forEach((source, results) -> {
        if (!sources.contains(source)) {
          orphans.addAll(results);
        }
      });
      byCommandId.forEach((id, results) -> {
        if (!ids.contains(id)) {
          orphans.addAll(results);
        }
      });
      return orphans;
    }

    private static boolean isPublic(String topic) {
      return topic.equals(Topics.ACCOUNT_COMMANDS) || topic.equals(Topics.TRANSFER_COMMANDS);
    }
  }

  /** Versions, event ids and snapshots of every aggregate of one type; fills {@code folded} with its expected state. */
  private <C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> void checkAggregates(
      AggregateBinding<C, E, S, AC, AE, AS> binding, String type, List<Entry<AE>> events, List<Entry<AS>> states,
      Function<AE, EventMetadata> metadataOf, Map<String, AS> folded) {
    Map<String, List<Entry<AE>>> byAggregate = groupByKey(events);
    Map<String, List<Entry<AS>>> snapshots = groupByKey(states);
    byAggregate.forEach((id, history) -> {
      for (Entry<AE> event : history) {
        EventMetadata metadata = metadataOf.apply(event.value());
        EventRef ref = new EventRef(type, id, metadata.getAggregateVersion(), metadata.getEventId(),
            metadata.getCommandId());
        if (eventsById.putIfAbsent(ref.eventId(), ref) != null) {
          violation(type + " event " + ref.eventId() + " appears more than once (again at " + event.where() + ")");
        }
        eventsByCommand.computeIfAbsent(ref.commandId(), commandId -> new ArrayList<>()).add(ref);
      }
      if (checkVersions(type, id, history, metadataOf)) {
        List<AS> byVersion = fold(binding, type, id, history, metadataOf);
        if (!byVersion.isEmpty()) {
          folded.put(id, byVersion.get(byVersion.size() - 1));
          checkSnapshots(binding, type, id, byVersion, snapshots.getOrDefault(id, List.of()));
        }
      }
    });
    snapshots.keySet().stream().filter(id -> !byAggregate.containsKey(id))
        .forEach(id -> violation(type + " " + id + " has snapshots but no events"));
  }

  /**
   * Each snapshot equals the fold of the events up to its version, versions only go up, and the latest is at the last
   * event: a snapshot from a zombie, or one lost, shows here.
   */
  private <C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> void checkSnapshots(
      AggregateBinding<C, E, S, AC, AE, AS> binding, String type, String id, List<AS> byVersion,
      List<Entry<AS>> snapshots) {
    if (snapshots.isEmpty()) {
      violation(type + " " + id + " has events but no snapshot on its state topic");
      return;
    }
    long previous = 0;
    for (Entry<AS> snapshot : snapshots) {
      long version = binding.snapshot(snapshot.value()).version();
      if (version <= previous || version > byVersion.size()) {
        violation(type + " " + id + ": snapshot at " + snapshot.where() + " has version " + version + " after version "
            + previous + ", of " + byVersion.size() + " events");
      } else if (!snapshot.value().equals(byVersion.get((int) version - 1))) {
        violation(type + " " + id + ": snapshot " + snapshot.value() + " at " + snapshot.where()
            + " differs from the fold of its events " + byVersion.get((int) version - 1));
      }
      previous = version;
    }
    if (previous != byVersion.size()) {
      violation(type + " " + id + ": its latest snapshot is at version " + previous + " but its events reach version "
          + byVersion.size());
    }
  }

  /** True if the aggregate's events are in one partition with versions 1..n and their own aggregate id. */
  private <AE> boolean checkVersions(String type, String id, List<Entry<AE>> history,
                                     Function<AE, EventMetadata> metadataOf) {
    boolean ok = true;
    Set<Integer> partitions = new TreeSet<>();
    for (int i = 0; i < history.size(); i++) {
      Entry<AE> event = history.get(i);
      EventMetadata metadata = metadataOf.apply(event.value());
      partitions.add(event.partition());
      if (!id.equals(metadata.getAggregateId())) {
        violation(type + " event at " + event.where() + " is keyed " + id + " but names aggregate "
            + metadata.getAggregateId());
        ok = false;
      }
      if (metadata.getAggregateVersion() != i + 1) {
        violation(type + " " + id + ": event " + (i + 1) + " of " + history.size() + " (at " + event.where()
            + ") has version " + metadata.getAggregateVersion() + "; versions must run 1, 2, 3... without gap or repeat");
        return false;
      }
    }
    if (partitions.size() > 1) {
      violation(type + " " + id + " has events in partitions " + partitions);
      ok = false;
    }
    return ok;
  }

  /** The snapshot the processor must have written after each event, by version; empty if the events do not fold. */
  private <C, E, S, AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord> List<AS> fold(
      AggregateBinding<C, E, S, AC, AE, AS> binding, String type, String id, List<Entry<AE>> history,
      Function<AE, EventMetadata> metadataOf) {
    List<AS> byVersion = new ArrayList<>(history.size());
    try {
      S state = binding.decider().initialState();
      EventMetadata first = metadataOf.apply(history.get(0).value());
      for (Entry<AE> event : history) {
        EventMetadata metadata = metadataOf.apply(event.value());
        state = binding.decider().evolve(state, binding.event(event.value()));
        byVersion.add(binding.snapshot(id, new Snapshot<>(state, metadata.getAggregateVersion(), first.getOccurredAt(),
            metadata.getOccurredAt())));
      }
      return byVersion;
    } catch (RuntimeException e) {
      violation(type + " " + id + ": its events do not fold: " + e);
      return List.of();
    }
  }

  /**
   * Every honest command record has exactly one result of its own, naming its aggregate; all results of one command
   * id agree (a retry is answered from memory); every result answers a command of the run.
   */
  private void checkCommandsHaveOneResult(Collection<PoisonRecord> injectedPoison, Collection<HostileRecord> hostile,
                                          Answers answers) {
    Set<RawRecord> poison = new HashSet<>();
    injectedPoison.forEach(record -> poison.add(record.record()));
    Set<RawRecord> refused = new HashSet<>();
    hostile.forEach(record -> refused.add(record.record()));
    Map<String, List<Command>> commands = new LinkedHashMap<>();
    List<Command> decoded = new ArrayList<>();
    for (Command command : log.commands) {
      if (poison.contains(command.entry().value())) {
        continue;
      }
      if (command.commandId() == null) {
        violation("command record " + command.entry().where() + " (key " + command.entry().key()
            + ") does not decode and was not injected as poison: " + command.error());
        continue;
      }
      decoded.add(command);
      if (!refused.contains(command.entry().value())) {
        commands.computeIfAbsent(command.commandId(), id -> new ArrayList<>()).add(command);
      }
    }
    commands.forEach((commandId, records) -> {
      Command command = records.get(0);
      String what = command.type() + " " + commandId + " on " + command.entry().key();
      List<Entry<CommandResult>> found = new ArrayList<>();
      if (answers.sourced) {
        records.stream().filter(copy -> answers.of(copy).size() != 1 && Answers.isPublic(copy.entry().topic()))
            .forEach(copy -> violation(what + ": its record " + copy.entry().where() + " has "
                + answers.of(copy).size() + " result(s) of its own; each command record must have exactly one"));
        records.stream().map(answers::of).distinct().forEach(found::addAll);
      } else {
        found.addAll(answers.of(command));
      }
      if (found.isEmpty()) {
        violation(what + " has no result");
        return;
      }
      // the worker sends a step again when its answer is late (after a broker outage, say), always the very same
      // command: the command side answers each copy from its memory, which the checks below and of the events hold
      if (TransferWorkerTopology.ISSUED_BY.equals(command.issuedBy())
          && records.stream().map(copy -> copy.entry().value()).distinct().count() > 1) {
        violation(what + " was sent " + records.size() + " times by the transfer worker, not all of them the same "
            + "command; a re-sent step must be the very command sent first");
      }
      if (found.size() != records.size()) {
        violation(what + " was sent " + records.size() + " time(s) but has " + found.size()
            + " result(s); each command record must be processed exactly once");
      }
      // each copy's result names its own record as its source; the outcome must be the same
      Set<CommandResult> distinct = new HashSet<>();
      found.forEach(answer -> distinct.add(CommandResult.newBuilder(answer.value()).setSource(null).build()));
      if (distinct.size() > 1) {
        violation(what + " has " + distinct.size() + " different results: " + distinct);
      }
      CommandResult result = found.get(0).value();
      if (!command.entry().key().equals(result.getAggregateId()) || !typeOf(command).equals(result.getAggregateType())) {
        violation(what + " was answered for " + result.getAggregateType() + " " + result.getAggregateId());
      }
      resultByCommand.put(commandId, result);
    });
    answers.orphans(decoded).forEach(result -> violation("result " + result.where() + " answers command "
        + result.value().getCommandId() + (result.source() == null ? "" : " at " + result.source())
        + ", which no command record of the run carries"));
  }

  /** Each hostile command has one result, refused with the code its kind must get: nothing executed. */
  private void checkHostileCommandsWereRefused(Collection<HostileRecord> hostile, Answers answers) {
    Map<RawRecord, HostileRecord> expected = new HashMap<>();
    hostile.forEach(record -> expected.put(record.record(), record));
    Set<RawRecord> found = new HashSet<>();
    for (Command command : log.commands) {
      HostileRecord record = expected.get(command.entry().value());
      if (record == null || command.commandId() == null) {
        continue;
      }
      found.add(record.record());
      String what = "hostile " + record + " (" + command.commandId() + ")";
      List<CommandResult> own = answers.of(command).stream().map(Entry::value)
          .filter(result -> command.entry().key().equals(result.getAggregateId())
              && typeOf(command).equals(result.getAggregateType()))
          .toList();
      if (own.size() != 1) {
        violation(what + " has " + own.size() + " result(s) naming its own " + typeOf(command)
            + "; it must have exactly one");
      }
      own.stream().filter(result -> result.getStatus() != CommandStatus.REJECTED || result.getRejection() == null
              || !record.expectedCode().equals(result.getRejection().getCode()) || !result.getEventIds().isEmpty())
          .forEach(result -> violation(what + " was answered " + result.getStatus()
              + (result.getRejection() == null ? "" : " " + result.getRejection().getCode()) + " with events "
              + result.getEventIds() + "; it must be REJECTED " + record.expectedCode() + " with none"));
    }
    hostile.stream().filter(record -> !found.contains(record.record()))
        .forEach(record -> violation("hostile " + record + " was sent but is on no command topic"));
  }

  /**
   * No event is caused by a hostile command: money moves on an account only by an honest client's deposit or
   * withdrawal, or by the transfer worker's legs, and every other event has an honest command of its aggregate as its
   * cause.
   */
  private void checkNoHostileCommandChangedAnything(Collection<HostileRecord> hostile) {
    Set<RawRecord> refused = new HashSet<>();
    hostile.forEach(record -> refused.add(record.record()));
    Set<String> fromClients = new HashSet<>();
    Set<String> fromWorker = new HashSet<>();
    for (Command command : log.commands) {
      if (command.commandId() == null || refused.contains(command.entry().value())) {
        continue;
      }
      String cause = typeOf(command) + "/" + command.entry().key() + "/" + command.commandId();
      (Answers.isPublic(command.entry().topic()) ? fromClients : fromWorker).add(cause);
    }
    checkCauses("account", log.accountEvents, AccountEvent::getMetadata, AccountEvent::getPayload, fromClients,
        fromWorker);
    checkCauses("transfer", log.transferEvents, TransferEvent::getMetadata, TransferEvent::getPayload, fromClients,
        fromWorker);
  }

  private <AE extends SpecificRecord> void checkCauses(String type, List<Entry<AE>> events,
                                                       Function<AE, EventMetadata> metadataOf,
                                                       Function<AE, Object> payloadOf, Set<String> fromClients, Set<String> fromWorker) {
    for (Entry<AE> event : events) {
      EventMetadata metadata = metadataOf.apply(event.value());
      String cause = type + "/" + event.key() + "/" + metadata.getCommandId();
      Object payload = payloadOf.apply(event.value());
      boolean clientMoney = payload instanceof MoneyDeposited || payload instanceof MoneyWithdrawn;
      boolean workerMoney = payload instanceof TransferDebited || payload instanceof TransferCredited
          || payload instanceof TransferRefunded;
      boolean honest = clientMoney ? fromClients.contains(cause)
          : workerMoney ? fromWorker.contains(cause)
          : fromClients.contains(cause) || fromWorker.contains(cause);
      if (!honest) {
        violation(type + " event " + payload.getClass().getSimpleName() + " at " + event.where() + " was caused by "
            + "command " + metadata.getCommandId() + ", which no honest " + (clientMoney ? "client" : workerMoney
            ? "transfer worker" : "sender") + " sent to " + type + " " + event.key());
      }
    }
  }

  private static String typeOf(Command command) {
    String topic = command.entry().topic();
    return topic.equals(Topics.ACCOUNT_COMMANDS) || topic.equals(AccountType.TYPE.internalCommandsTopic())
        ? "account" : "transfer";
  }

  private void checkResultsMatchEvents() {
    resultByCommand.forEach((commandId, result) -> {
      List<EventRef> caused = eventsByCommand.getOrDefault(commandId, List.of());
      String what = "command " + commandId + " on " + result.getAggregateType() + " " + result.getAggregateId();
      if (result.getStatus() == CommandStatus.REJECTED) {
        if (result.getRejection() == null || !result.getEventIds().isEmpty() || !caused.isEmpty()) {
          violation(what + " was rejected but has events " + caused + " or event ids " + result.getEventIds()
              + " or no rejection");
        }
        return;
      }
      long lastVersion = 0;
      for (String eventId : result.getEventIds()) {
        EventRef event = eventsById.get(eventId);
        if (event == null) {
          violation(what + " was accepted with event " + eventId + ", which is on no event topic");
        } else if (!event.commandId().equals(commandId) || !event.type().equals(result.getAggregateType())
            || !event.aggregateId().equals(result.getAggregateId())) {
          violation(what + " names event " + event + " of another command or aggregate");
        } else {
          lastVersion = Math.max(lastVersion, event.version());
        }
      }
      Set<String> named = new TreeSet<>(result.getEventIds());
      Set<String> found = new TreeSet<>();
      caused.forEach(event -> found.add(event.eventId()));
      if (!named.equals(found) || caused.size() != result.getEventIds().size()) {
        violation(what + ": its result names events " + result.getEventIds() + " but the events it caused are "
            + caused);
      }
      if (lastVersion > 0 && lastVersion != result.getVersion()) {
        violation(what + ": its result says version " + result.getVersion() + " but its last event is version "
            + lastVersion);
      }
    });
    eventsByCommand.forEach((commandId, caused) -> {
      if (!resultByCommand.containsKey(commandId)) {
        violation("events " + caused + " carry command " + commandId + ", which has no result");
      }
    });
  }

  private void checkMoney() {
    Map<String, Long> deposits = new TreeMap<>();
    Map<String, Long> withdrawals = new TreeMap<>();
    Map<String, Long> legs = new TreeMap<>();
    for (Entry<AccountEvent> event : log.accountEvents) {
      AccountState account = accounts.get(event.key());
      if (account == null) {
        continue;
      }
      Object payload = event.value().getPayload();
      if (payload instanceof MoneyDeposited deposited) {
        deposits.merge(account.getCurrency(), deposited.getAmountMinor(), Long::sum);
      } else if (payload instanceof MoneyWithdrawn withdrawn) {
        withdrawals.merge(account.getCurrency(), withdrawn.getAmountMinor(), Long::sum);
      } else if (payload instanceof TransferDebited debited) {
        legs.merge(debited.getTransferId(), debited.getAmountMinor(), Long::sum);
      } else if (payload instanceof TransferCredited credited) {
        legs.merge(credited.getTransferId(), -credited.getAmountMinor(), Long::sum);
      } else if (payload instanceof TransferRefunded refunded) {
        legs.merge(refunded.getTransferId(), -refunded.getAmountMinor(), Long::sum);
      }
    }
    Map<String, Long> balances = new TreeMap<>();
    accounts.values().forEach(account -> balances.merge(account.getCurrency(), account.getBalanceMinor(), Long::sum));
    Map<String, Long> inFlight = new TreeMap<>();
    transfers.forEach((id, transfer) -> {
      boolean stillOut = transfer.getStatus() == TransferStatus.DEBITED
          || transfer.getStatus() == TransferStatus.NEEDS_ATTENTION && !transfer.getRefunded();
      long expected = stillOut ? transfer.getAmountMinor() : 0;
      inFlight.merge(transfer.getCurrency(), expected, Long::sum);
      long net = legs.getOrDefault(id, 0L);
      if (net != expected) {
        violation("transfer " + id + " is " + transfer.getStatus() + " with " + expected + " in flight, but its legs on "
            + "the accounts leave " + net + " debited and not credited or refunded");
      }
      if (transfer.getStatus() == TransferStatus.REQUESTED || transfer.getStatus() == TransferStatus.DEBITED) {
        violation("transfer " + id + " is still " + transfer.getStatus() + " after the run went quiet");
      }
      if (transfer.getStatus() == TransferStatus.NEEDS_ATTENTION) {
        violation("transfer " + id + " needs attention: " + transfer.getFailureCode() + ": "
            + transfer.getFailureReason());
      }
    });
    accounts.forEach((id, account) -> {
      if (!account.getTransfersInFlight().isEmpty()) {
        violation("account " + id + " still counts transfers " + account.getTransfersInFlight()
            + " in flight after the run went quiet");
      }
    });
    legs.keySet().stream().filter(id -> !transfers.containsKey(id))
        .forEach(id -> violation("accounts carry legs of transfer " + id + ", which has no events"));
    Set<String> currencies = new TreeSet<>(balances.keySet());
    currencies.addAll(deposits.keySet());
    for (String currency : currencies) {
      long held = balances.getOrDefault(currency, 0L) + inFlight.getOrDefault(currency, 0L);
      long paidIn = deposits.getOrDefault(currency, 0L) - withdrawals.getOrDefault(currency, 0L);
      if (held != paidIn) {
        violation("money is not conserved in " + currency + ": balances " + balances.getOrDefault(currency, 0L)
            + " + in flight " + inFlight.getOrDefault(currency, 0L) + " = " + held + ", but deposits "
            + deposits.getOrDefault(currency, 0L) + " - withdrawals " + withdrawals.getOrDefault(currency, 0L)
            + " = " + paidIn);
      }
    }
  }

  /**
   * Time is the ledger's: every command record is stamped with the broker's append time, and every event's occurredAt
   * and result's processedAt falls within the span of the run's command records, however far a client's own clock
   * was off.
   */
  private void checkTheLedgersClock() {
    log.producerStamped.forEach(where -> violation("command record " + where + " carries its producer's timestamp, "
        + "not the broker's append time"));
    log.commandTimeSpan().ifPresent(span -> {
      Instant from = Instant.ofEpochMilli(span[0]).minus(CLOCK_SLACK);
      Instant to = Instant.ofEpochMilli(span[1]).plus(CLOCK_SLACK);
      log.accountEvents.forEach(event -> checkTime("account event at " + event.where() + " occurred",
          event.value().getMetadata().getOccurredAt(), from, to));
      log.transferEvents.forEach(event -> checkTime("transfer event at " + event.where() + " occurred",
          event.value().getMetadata().getOccurredAt(), from, to));
      log.results.forEach(result -> checkTime("result " + result.where() + " of " + result.value().getCommandId()
          + " was processed", result.value().getProcessedAt(), from, to));
    });
  }

  private void checkTime(String what, Instant at, Instant from, Instant to) {
    if (at.isBefore(from) || at.isAfter(to)) {
      violation(what + " at " + at + ", outside the run's command records (" + from + " to " + to + "): a client's "
          + "clock, not the ledger's");
    }
  }

  private void checkDeadLetters(Collection<PoisonRecord> injectedPoison) {
    Map<RawRecord, Integer> expected = new HashMap<>();
    Map<RawRecord, PoisonRecord> kinds = new HashMap<>();
    injectedPoison.forEach(poison -> {
      expected.merge(poison.record(), 1, Integer::sum);
      kinds.put(poison.record(), poison);
    });
    Map<RawRecord, Integer> found = new HashMap<>();
    log.deadLetters.forEach(letter -> found.merge(letter.value(), 1, Integer::sum));
    expected.forEach((record, times) -> {
      int letters = found.getOrDefault(record, 0);
      if (letters != times) {
        violation("poison " + kinds.get(record) + " was injected " + times + " time(s) but dead-lettered " + letters
            + " time(s)");
      }
    });
    log.deadLetters.stream().filter(letter -> !expected.containsKey(letter.value()))
        .forEach(letter -> violation("dead letter " + letter.where() + " (" + letter.value()
            + ") is no poison this run injected"));
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(element -> texts.add(element.asText()));
    return texts;
  }

  private void checkProjections(ProjectionReader projections) {
    accounts.forEach((id, expected) ->
        compare("account " + id, projections.account(id, expected.getVersion()), expected));
    transfers.forEach((id, expected) ->
        compare("transfer " + id, projections.transfer(id, expected.getVersion()), expected));
  }

  private void compare(String what, ProjectionReader.Reading reading, SpecificRecord expected) {
    if (reading.body() == null) {
      violation("projection of " + what + " could not be read at its version: " + reading.problem());
      return;
    }
    Map<String, Object> fields = RecordJson.toMap((org.apache.avro.generic.IndexedRecord) expected);
    List<String> differences = new ArrayList<>();
    fields.forEach((name, value) -> {
      JsonNode actual = reading.body().get(name);
      boolean same = value == null ? actual == null || actual.isNull()
          : value instanceof Number number ? actual != null && actual.isNumber() && actual.asLong() == number.longValue()
          : value instanceof Boolean flag ? actual != null && actual.isBoolean() && actual.asBoolean() == flag
          : value instanceof List<?> list ? actual != null && actual.isArray() && texts(actual).equals(
              list.stream().map(String::valueOf).toList())
          : actual != null && Objects.equals(actual.asText(), value.toString());
      if (!same) {
        differences.add(name + " is " + actual + " but the fold gives " + value);
      }
    });
    if (!differences.isEmpty()) {
      violation("projection of " + what + " differs from the fold of its events: " + differences);
    }
  }

  private String summary() {
    Map<TransferStatus, Long> byStatus = new TreeMap<>();
    transfers.values().forEach(transfer -> byStatus.merge(transfer.getStatus(), 1L, Long::sum));
    long accepted = resultByCommand.values().stream().filter(r -> r.getStatus() == CommandStatus.ACCEPTED).count();
    return log.summary() + "; " + accepted + " commands accepted, " + (resultByCommand.size() - accepted)
        + " rejected; " + accounts.size() + " accounts, " + transfers.size() + " transfers " + byStatus;
  }

  private static <V> Map<String, List<Entry<V>>> groupByKey(List<Entry<V>> entries) {
    Map<String, List<Entry<V>>> groups = new TreeMap<>();
    entries.stream()
        .sorted(Comparator.comparingInt((Entry<V> entry) -> entry.partition()).thenComparingLong(Entry::offset))
        .forEach(entry -> groups.computeIfAbsent(entry.key(), key -> new ArrayList<>()).add(entry));
    return groups;
  }

  private void violation(String message) {
    violations.add(message);
  }
}
