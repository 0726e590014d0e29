package io.ledgerstream.streams.generation;

import io.ledgerstream.streams.ConsumerLag;
import io.ledgerstream.streams.projection.LocalProjections;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this instance's projections generations as the {@link GenerationLog} records them: the serving one, and a
 * building one beside it. Once the building generation's group caught up with every input partition it is recorded
 * as serving, queries switch to it, and the old generation is stopped and removed: local state, consumer group and
 * internal topics. Everything happens on one thread; the HTTP API's calls wait their turn on it.
 *
 * <p>A generation catches up with settings made for throughput ({@link Mode#CATCH_UP}: long transactions, a large
 * record cache) and serves with the live ones ({@link Mode#SERVE}). Kafka Streams cannot change an application's
 * settings while it runs, so once a building generation caught up it is closed and started again with the live
 * settings on its local state; it is promoted when that restart runs and is still caught up, while the old
 * generation goes on serving.
 */
public final class GenerationSupervisor implements ProjectionGenerations, AutoCloseable {

  /** Makes, without starting it, the projections streams application of one generation. */
  @FunctionalInterface
  public interface StreamsFactory {
    KafkaStreams create(String applicationId, Mode mode);
  }

  /** The settings a generation runs with: built for catching up with the logs, or for serving queries. */
  public enum Mode { CATCH_UP, SERVE }

  /**
   * What the supervisor needs.
   *
   * @param stateDir the streams {@code state.dir}, where each application keeps a directory named after its id
   * @param inputTopics the contract topics the projections read
   * @param internalInputs the repartition topics the projections read back, given the application id
   */
  public record Settings(Map<String, Object> clientProperties, short replicationFactor, Path stateDir,
                         List<String> inputTopics, Function<String, List<String>> internalInputs,
                         StreamsFactory streams) {
  }

  private record Running(KafkaStreams streams, LocalProjections projections, Mode mode) {
  }

  /** The compacted topic recording which generation serves; the application reads and writes it. */
  public static final String LOG_TOPIC = GenerationLog.TOPIC;

  private static final Logger log = LoggerFactory.getLogger(GenerationSupervisor.class);
  private static final Duration TICK = Duration.ofMillis(500);
  private static final Duration RETIRE_GRACE = Duration.ofSeconds(2);
  private static final Duration CLEAN_UP_PAUSE = Duration.ofSeconds(2);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

  private final Settings settings;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread supervisor = new Thread(task, "projection-generations");
    supervisor.setDaemon(true);
    return supervisor;
  });
  private final Admin admin;
  private final GenerationRemoval removal;
  private final ProgressMeter progress;
  private final GenerationLog generationLog;
  private final Map<Integer, Running> running = new HashMap<>();
  private final Map<Integer, Instant> retiring = new HashMap<>();
  /** When a caught-up generation began its restart with the live settings, to log what the switch cost. */
  private final Map<Integer, Instant> switching = new HashMap<>();
  private final List<Consumer<KafkaStreams>> listeners = new CopyOnWriteArrayList<>();
  private Instant nextCleanUp = Instant.EPOCH;
  private volatile Generations recorded;
  private volatile Serving serving;
  private volatile List<GenerationStatus> statuses = List.of();

  private GenerationSupervisor(Settings settings) {
    this.settings = settings;
    this.admin = Admin.create(settings.clientProperties());
    this.removal = new GenerationRemoval(admin, settings.stateDir());
    this.progress = new ProgressMeter(admin, settings.inputTopics(), settings.internalInputs());
    try {
      this.generationLog = GenerationLog.open(admin, settings.clientProperties(), settings.replicationFactor());
    } catch (RuntimeException e) {
      admin.close();
      throw e;
    }
  }

  /** Starts the serving generation, waits until it runs, resumes a building one, and begins supervising. */
  public static GenerationSupervisor start(Settings settings) {
    GenerationSupervisor supervisor = new GenerationSupervisor(settings);
    try {
      supervisor.onThread(() -> {
        supervisor.startUp();
        return null;
      }, STARTUP_TIMEOUT.plus(CALL_TIMEOUT));
    } catch (RuntimeException e) {
      supervisor.close();
      throw e;
    }
    supervisor.thread.scheduleWithFixedDelay(supervisor::tick, TICK.toMillis(), TICK.toMillis(),
        TimeUnit.MILLISECONDS);
    return supervisor;
  }

  @Override
  public Serving serving() {
    return serving;
  }

  @Override
  public List<GenerationStatus> status() {
    return statuses;
  }

  @Override
  public Generation rebuild() {
    return onThread(() -> {
      update(generations -> {
        generations.building().ifPresent(building -> {
          throw new RebuildInProgressException(building);
        });
        return generations.startBuilding(Instant.now());
      });
      Generation started = recorded.building().orElseThrow();
      log.info("Rebuilding the projections from the beginning of the logs as generation {} ({})", started.number(),
          started.applicationId());
      launch(started, Mode.CATCH_UP);
      measure();
      return started;
    });
  }

  @Override
  public Optional<Generation> abandon() {
    return onThread(() -> {
      generationLog.readToEnd().ifPresent(this::adopt);
      Optional<Generation> building = recorded.building();
      if (building.isEmpty()) {
        return Optional.empty();
      }
      int number = building.get().number();
      update(generations -> generations.abandon(number, Instant.now()));
      log.info("Abandoning generation {} ({})", number, building.get().applicationId());
      stop(number, true);
      try {
        cleanUp(recorded.get(number).orElseThrow());
      } catch (RuntimeException e) {
        log.warn("Generation {} is abandoned; removing it from the cluster will be retried: {}", number, e.toString());
      }
      measure();
      return recorded.get(number);
    });
  }

  @Override
  public void onSwitch(Consumer<KafkaStreams> listener) {
    listeners.add(listener);
  }

  private void startUp() {
    Optional<Generations> stored = generationLog.readToEnd();
    if (stored.isPresent()) {
      adopt(stored.get());
    } else {
      recorded = Generations.initial(Instant.now());
      generationLog.write(recorded);
    }
    Generation current = recorded.serving();
    awaitRunning(launch(current, Mode.SERVE).streams(), current.applicationId());
    switchTo(current.number());
    recorded.building().ifPresent(building -> {
      log.info("Resuming the rebuild of generation {} from its committed offsets", building.number());
      launch(building, Mode.CATCH_UP);
    });
    recorded.generations().stream().filter(g -> !g.live()).forEach(removal::localState);
    measure();
  }

  private void tick() {
    try {
      generationLog.poll(Duration.ofMillis(20)).ifPresent(this::adopt);
      reconcile();
      measure();
      promoteCaughtUp();
      retireDue();
      cleanUpEnded();
    } catch (RuntimeException e) {
      log.warn("Supervising the projections generations: {}", e.toString());
    }
  }

  /** Runs what the log records (another instance may have changed it), and nothing else. */
  private void reconcile() {
    Generation target = recorded.serving();
    if (serving.generation().number() != target.number()) {
      Running next = running.get(target.number());
      if (next == null || next.mode() != Mode.SERVE) {
        // another instance promoted it, or this one did before its restart with the live settings
        next = relaunch(target, Mode.SERVE);
      }
      if (next.streams().state() == KafkaStreams.State.RUNNING) {
        switchTo(target.number());
      }
    }
    recorded.building().filter(building -> !running.containsKey(building.number()))
        .ifPresent(building -> launch(building, Mode.CATCH_UP));
    for (int number : List.copyOf(running.keySet())) {
      boolean wanted = number == serving.generation().number()
          || recorded.get(number).map(Generation::live).orElse(false);
      if (!wanted && !retiring.containsKey(number)) {
        stop(number, true);
      }
    }
  }

  private void promoteCaughtUp() {
    Optional<Generation> building = recorded.building();
    if (building.isEmpty()) {
      return;
    }
    int number = building.get().number();
    Running candidate = running.get(number);
    boolean runs = candidate != null && candidate.streams().state() == KafkaStreams.State.RUNNING;
    Optional<ConsumerLag> lag = progress.latest(number);
    if (!runs || lag.isEmpty() || !lag.get().caughtUp()) {
      return;
    }
    if (candidate.mode() != Mode.SERVE) {
      log.info("Generation {} caught up with every input partition ({} records); restarting it with the live "
          + "settings before it serves", number, lag.get().done());
      switching.put(number, Instant.now());
      relaunch(building.get(), Mode.SERVE);
      return;
    }
    Instant restarted = switching.remove(number);
    log.info("Generation {} caught up with every input partition ({} records); it serves from now on{}", number,
        lag.get().done(), restarted == null ? ""
            : " (the restart with the live settings took " + Duration.between(restarted, Instant.now()).toMillis()
                + " ms)");
    update(generations -> generations.promote(number, Instant.now()));
    reconcile();
  }

  private void switchTo(int number) {
    Running next = running.get(number);
    Serving previous = serving;
    serving = new Serving(recorded.get(number).orElseThrow(), next.streams(), next.projections());
    if (previous != null) {
      // in-flight queries finish on the old stores before they close
      retiring.put(previous.generation().number(), Instant.now().plus(RETIRE_GRACE));
      log.info("Queries are answered by generation {} now; generation {} retires", number,
          previous.generation().number());
    }
    listeners.forEach(listener -> listener.accept(next.streams()));
  }

  private void retireDue() {
    Instant now = Instant.now();
    for (Map.Entry<Integer, Instant> due : List.copyOf(retiring.entrySet())) {
      if (!now.isBefore(due.getValue())) {
        retiring.remove(due.getKey());
        stop(due.getKey(), true);
      }
    }
  }

  /** Removes generations that ended and no longer run here from the cluster; retries while others still run them. */
  private void cleanUpEnded() {
    if (Instant.now().isBefore(nextCleanUp)) {
      return;
    }
    nextCleanUp = Instant.now().plus(CLEAN_UP_PAUSE);
    recorded.generations().stream()
        .filter(g -> !g.live() && !g.cleanedUp() && !running.containsKey(g.number()))
        .forEach(this::cleanUp);
  }

  private void cleanUp(Generation ended) {
    if (running.containsKey(ended.number())) {
      return;
    }
    removal.localState(ended);
    if (removal.fromCluster(ended)) {
      update(generations -> generations.cleaned(ended.number()));
    }
  }

  private void measure() {
    List<GenerationStatus> next = new ArrayList<>();
    for (Generation generation : recorded.generations()) {
      Running here = running.get(generation.number());
      if (generation.live() || here != null) {
        next.add(progress.measure(generation, here == null ? null : here.streams().state().name()));
      } else {
        progress.forget(generation.number());
        next.add(new GenerationStatus(generation, null, null, 0));
      }
    }
    statuses = List.copyOf(next);
  }

  private Running launch(Generation generation, Mode mode) {
    KafkaStreams streams = settings.streams().create(generation.applicationId(), mode);
    Running started = new Running(streams, new LocalProjections(streams), mode);
    running.put(generation.number(), started);
    streams.start();
    log.info("Started projections generation {} ({}) to {}", generation.number(), generation.applicationId(),
        mode == Mode.SERVE ? "serve" : "catch up");
    return started;
  }

  /** Stops the generation here if it runs, keeping its local state, and starts it again in the given mode. */
  private Running relaunch(Generation generation, Mode mode) {
    stop(generation.number(), false);
    return launch(generation, mode);
  }

  /** Closes the generation's streams here, leaving its group; with {@code cleanUp} also removes its local state. */
  private void stop(int number, boolean cleanUp) {
    Running stopping = running.remove(number);
    if (stopping == null) {
      return;
    }
    boolean closed = stopping.streams().close(
        CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT));
    if (!closed) {
      log.warn("Generation {} did not stop within {}", number, CLOSE_TIMEOUT);
    } else if (cleanUp) {
      stopping.streams().cleanUp();
    }
    log.info("Stopped projections generation {}{}", number, cleanUp && closed ? " and removed its local state" : "");
  }

  /**
   * Records a change to the latest record, read just before, so a change another instance made meanwhile is kept
   * (two instances changing it at the same moment remain possible: the last write wins).
   */
  private void update(UnaryOperator<Generations> change) {
    generationLog.readToEnd().ifPresent(this::adopt);
    Generations next = change.apply(recorded);
    if (!next.equals(recorded)) {
      generationLog.write(next);
      adopt(next);
    }
  }

  private void adopt(Generations latest) {
    recorded = latest;
  }

  private static void awaitRunning(KafkaStreams streams, String applicationId) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (!streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
        throw new IllegalStateException(applicationId + " stopped while starting: " + streams.state());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(applicationId + " was not running after " + STARTUP_TIMEOUT.toSeconds()
            + " s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting " + applicationId, e);
      }
    }
  }

  private <T> T onThread(Callable<T> work) {
    return onThread(work, CALL_TIMEOUT);
  }

  private <T> T onThread(Callable<T> work, Duration timeout) {
    try {
      return thread.submit(work).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw interruptedOrTimedOut("waiting for the projections supervisor", e);
    }
  }

  private static IllegalStateException interruptedOrTimedOut(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new IllegalStateException((e instanceof InterruptedException ? "interrupted " : "timed out ") + what, e);
  }

  /** Stops every generation running here, keeping their state, so a restart serves and resumes the same ones. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        log.warn("The projections supervisor did not finish its work within {}", CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (int number : List.copyOf(running.keySet())) {
      stop(number, false);
    }
    generationLog.close();
    admin.close();
  }
}
