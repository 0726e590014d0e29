package io.ledgerstream.streams.generation;

import io.ledgerstream.streams.ConsumerLag;
import io.ledgerstream.streams.projection.LocalProjections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
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
 */
public final class GenerationSupervisor implements ProjectionGenerations, AutoCloseable {

  /** Makes, without starting it, the projections streams application of one generation. */
  @FunctionalInterface
  public interface StreamsFactory {
    KafkaStreams create(String applicationId);
  }

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

  private record Running(KafkaStreams streams, LocalProjections projections) {
  }

  private static final Logger log = LoggerFactory.getLogger(GenerationSupervisor.class);
  private static final Duration TICK = Duration.ofMillis(500);
  private static final Duration RETIRE_GRACE = Duration.ofSeconds(2);
  private static final Duration CLEAN_UP_PAUSE = Duration.ofSeconds(2);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration RATE_WINDOW = Duration.ofSeconds(5);

  private final Settings settings;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread supervisor = new Thread(task, "projection-generations");
    supervisor.setDaemon(true);
    return supervisor;
  });
  private final Admin admin;
  private final GenerationLog generationLog;
  private final Map<Integer, Running> running = new HashMap<>();
  private final Map<Integer, Instant> retiring = new HashMap<>();
  private final Map<Integer, Deque<ConsumerLag>> samples = new HashMap<>();
  private final List<Consumer<KafkaStreams>> listeners = new CopyOnWriteArrayList<>();
  private Instant nextCleanUp = Instant.EPOCH;
  private volatile Generations recorded;
  private volatile Serving serving;
  private volatile List<GenerationStatus> statuses = List.of();

  private GenerationSupervisor(Settings settings) {
    this.settings = settings;
    this.admin = Admin.create(settings.clientProperties());
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
      });
    } catch (RuntimeException e) {
      supervisor.close();
      throw e;
    }
    supervisor.thread.scheduleWithFixedDelay(supervisor::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
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
      generationLog.poll(Duration.ofMillis(20)).ifPresent(this::adopt);
      Optional<Generation> building = recorded.building();
      if (building.isPresent()) {
        throw new RebuildInProgressException(building.get());
      }
      record(recorded.startBuilding(Instant.now()));
      Generation started = recorded.building().orElseThrow();
      log.info("Rebuilding the projections from the beginning of the logs as generation {} ({})", started.number(),
          started.applicationId());
      launch(started);
      measure();
      return started;
    });
  }

  @Override
  public Optional<Generation> abandon() {
    return onThread(() -> {
      generationLog.poll(Duration.ofMillis(20)).ifPresent(this::adopt);
      Optional<Generation> building = recorded.building();
      if (building.isEmpty()) {
        return Optional.empty();
      }
      int number = building.get().number();
      record(recorded.abandon(number, Instant.now()));
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
    Optional<Generations> stored = generationLog.readAll();
    if (stored.isPresent()) {
      adopt(stored.get());
    } else {
      record(Generations.initial(Instant.now()));
    }
    Generation current = recorded.serving();
    awaitRunning(launch(current).streams(), current.applicationId());
    switchTo(current.number());
    recorded.building().ifPresent(building -> {
      log.info("Resuming the rebuild of generation {} from its committed offsets", building.number());
      launch(building);
    });
    recorded.generations().stream().filter(g -> !g.live()).forEach(this::deleteLocalState);
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
      Running next = running.containsKey(target.number()) ? running.get(target.number()) : launch(target);
      if (next.streams().state() == KafkaStreams.State.RUNNING) {
        switchTo(target.number());
      }
    }
    recorded.building().filter(building -> !running.containsKey(building.number())).ifPresent(this::launch);
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
    ConsumerLag lag = Optional.ofNullable(samples.get(number)).map(Deque::peekLast).orElse(null);
    if (candidate != null && candidate.streams().state() == KafkaStreams.State.RUNNING && lag != null && lag.caughtUp()) {
      log.info("Generation {} caught up with every input partition ({} records); it serves from now on", number,
          lag.done());
      record(recorded.promote(number, Instant.now()));
      reconcile();
    }
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
    deleteLocalState(ended);
    try {
      admin.deleteConsumerGroups(List.of(ended.applicationId())).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupNotEmptyException) {
        log.debug("Group {} still has members; will remove it once they left", ended.applicationId());
        return;
      }
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw new IllegalStateException("could not delete group " + ended.applicationId() + ": " + e.getCause(), e);
      }
    } catch (InterruptedException | TimeoutException e) {
      throw interruptedOrTimedOut("deleting group " + ended.applicationId(), e);
    }
    try {
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(topic -> Generation.ownerOf(topic).orElse(0) == ended.number())
          .collect(Collectors.toCollection(java.util.TreeSet::new));
      if (!topics.isEmpty()) {
        admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
      }
      log.info("Removed generation {}: consumer group {} and internal topics {}", ended.number(),
          ended.applicationId(), topics);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not delete the topics of " + ended.applicationId() + ": " + e.getCause(), e);
    } catch (InterruptedException | TimeoutException e) {
      throw interruptedOrTimedOut("deleting the topics of " + ended.applicationId(), e);
    }
    record(recorded.cleaned(ended.number()));
  }

  private void measure() {
    List<GenerationStatus> next = new ArrayList<>();
    for (Generation generation : recorded.generations()) {
      Running here = running.get(generation.number());
      String state = here == null ? null : here.streams().state().name();
      if (!generation.live() && here == null) {
        samples.remove(generation.number());
        next.add(new GenerationStatus(generation, null, null, 0));
        continue;
      }
      String applicationId = generation.applicationId();
      ConsumerLag lag = ConsumerLag.measure(admin, applicationId, settings.inputTopics(),
          settings.internalInputs().apply(applicationId));
      next.add(new GenerationStatus(generation, state, lag, rate(generation.number(), lag)));
    }
    statuses = List.copyOf(next);
  }

  /** Input records processed per second over the last few measurements. */
  private double rate(int number, ConsumerLag latest) {
    Deque<ConsumerLag> window = samples.computeIfAbsent(number, n -> new ArrayDeque<>());
    window.addLast(latest);
    while (window.size() > 2 && window.peekFirst().measuredAt().isBefore(latest.measuredAt().minus(RATE_WINDOW))) {
      window.removeFirst();
    }
    ConsumerLag first = window.peekFirst();
    double seconds = Duration.between(first.measuredAt(), latest.measuredAt()).toMillis() / 1000.0;
    return seconds <= 0 ? 0 : Math.max(0, (latest.done() - first.done()) / seconds);
  }

  private Running launch(Generation generation) {
    KafkaStreams streams = settings.streams().create(generation.applicationId());
    Running started = new Running(streams, new LocalProjections(streams));
    running.put(generation.number(), started);
    streams.start();
    log.info("Started projections generation {} ({})", generation.number(), generation.applicationId());
    return started;
  }

  /** Closes the generation's streams here, leaving its group; with {@code cleanUp} also removes its local state. */
  private void stop(int number, boolean cleanUp) {
    Running stopping = running.remove(number);
    if (stopping == null) {
      return;
    }
    boolean closed = stopping.streams().close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(CLOSE_TIMEOUT));
    if (!closed) {
      log.warn("Generation {} did not stop within {}", number, CLOSE_TIMEOUT);
    } else if (cleanUp) {
      stopping.streams().cleanUp();
    }
    log.info("Stopped projections generation {}{}", number, cleanUp && closed ? " and removed its local state" : "");
  }

  private void deleteLocalState(Generation ended) {
    Path dir = settings.stateDir().resolve(ended.applicationId());
    if (running.containsKey(ended.number()) || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove the local state of generation " + ended.number(), e);
    }
  }

  private void record(Generations next) {
    generationLog.write(next);
    adopt(next);
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
        throw new IllegalStateException(applicationId + " was not running after " + STARTUP_TIMEOUT.toSeconds() + " s");
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
    try {
      return thread.submit(work).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
    return new IllegalStateException((e instanceof InterruptedException ? "interrupted while " : "timed out ") + what, e);
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
