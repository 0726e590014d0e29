package io.ledgerstream.streams.replay;

import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.ConsumerLag;
import io.ledgerstream.streams.RecordSerdes;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.TopicSetup;
import io.ledgerstream.streams.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shadow replay: the production command side ({@link CommandTopology}) run over the recorded commands under an
 * application id and state of its own, writing its events, snapshots, results and dead letters to prefixed topics,
 * so a change can be tried on production's history without touching production. It runs until it processed every
 * command recorded when it started; run again with the same prefix, it continues from where it stopped.
 *
 * <p>The commands workers sent in production are recorded on the internal command topics and are replayed as they
 * were, merged with each aggregate's public commands in the order of their record times; a worker stamps its
 * commands after their cause. Production took the two as they came, so a client's command to an aggregate sent while
 * a worker's command to it was on its way may be replayed on the other side of it, and the diff then shows that
 * aggregate as different. The shadow's own workers send their commands to the prefixed internal command topics,
 * which nothing reads: replaying every input at once loses the causal order a worker relies on (an event of one
 * aggregate may reach it before the event of another that caused it), so what they send is no measure of the change.
 */
public final class ShadowReplay {

  /**
   * What to replay, and how.
   *
   * @param types the aggregate types to replay
   * @param stateDir the streams {@code state.dir} of the replay
   * @param commandSide the command side's tunables, e.g. another dedupe window to see what it would change
   */
  public record Settings(String prefix, Map<String, Object> clientProperties, RecordSerdes serdes,
                         List<AggregateType<?, ?, ?>> types, Path stateDir, short replicationFactor,
                         CommandSideConfig commandSide) {
  }

  /**
   * What a replay did.
   *
   * @param commands the recorded commands it processed, counted from the first still recorded
   */
  public record Outcome(String applicationId, Topics topics, long commands, CommandHorizon horizon, Duration took) {
  }

  private static final Logger log = LoggerFactory.getLogger(ShadowReplay.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MERGE_PATIENCE = Duration.ofSeconds(2);

  private ShadowReplay() {
  }

  /** {@code ledgerstream-replay-<prefix>}, without the prefix's trailing separators. */
  public static String applicationId(String prefix) {
    return "ledgerstream-replay-" + prefix.replaceAll("[._-]+$", "");
  }

  /** Replays every command recorded now and returns once the shadow committed them all; reports progress meanwhile. */
  public static Outcome run(Settings settings, Consumer<ConsumerLag> progress) {
    Topics production = new Topics(settings.serdes(), settings.types());
    Topics shadow = Topics.shadow(settings.serdes(), settings.types(), settings.prefix());
    String applicationId = applicationId(settings.prefix());
    List<String> commandTopics = production.commandTopics();
    List<String> internalTopics = production.aggregates().stream().map(topics -> topics.internalCommands().name())
        .toList();
    Topology topology = CommandTopology.build(shadow, settings.serdes(),
        settings.commandSide().replaying(ClaimedOffsets.read(settings.clientProperties(), internalTopics)));
    requireShadowSinks(topology, settings.prefix());
    Instant began = Instant.now();
    try (Admin admin = Admin.create(settings.clientProperties())) {
      TopicSetup.ensure(admin, shadow.commandSideOutputs(), partitionsOf(admin, production.eventTopics().get(0)),
          settings.replicationFactor());
      CommandHorizon horizon = CommandHorizon.read(admin, settings.clientProperties(), commandTopics,
          production.eventTopics());
      Map<TopicPartition, Long> recorded = ConsumerLag.measure(admin, applicationId, commandTopics, List.of())
          .partitions().stream().collect(Collectors.toMap(ConsumerLag.PartitionLag::topicPartition,
              ConsumerLag.PartitionLag::end));
      ConsumerLag done = replay(admin, topology, config(settings, shadow, applicationId), applicationId, commandTopics,
          ownInputs(topology, applicationId, commandTopics), recorded, progress);
      return new Outcome(applicationId, shadow, done.total(), horizon, Duration.between(began, Instant.now()));
    }
  }

  private static ConsumerLag replay(Admin admin, Topology topology, Properties config, String applicationId,
                                    List<String> commandTopics, List<String> ownInputs,
                                    Map<TopicPartition, Long> recorded, Consumer<ConsumerLag> progress) {
    KafkaStreams streams = new KafkaStreams(topology, config);
    streams.setUncaughtExceptionHandler(e -> {
      log.error("Stream thread of {} died; replacing it", applicationId, e);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.start();
    try {
      while (true) {
        ConsumerLag lag = ConsumerLag.measure(admin, applicationId, commandTopics, ownInputs).against(recorded);
        progress.accept(lag);
        if (lag.caughtUp()) {
          return lag;
        }
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
            || state == KafkaStreams.State.NOT_RUNNING) {
          throw new IllegalStateException("the shadow replay " + applicationId + " stopped: " + state);
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replaying", e);
    } finally {
      streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
          .withTimeout(CLOSE_TIMEOUT));
    }
  }

  /**
   * The topics the replay reads that it writes itself: its events and results (workers read them) and
   * its repartition topics. It is done when it caught up with them too, so the commands it issued are all written.
   */
  private static List<String> ownInputs(Topology topology, String applicationId, List<String> commandTopics) {
    return topology.describe().subtopologies().stream()
        .flatMap(subtopology -> subtopology.nodes().stream())
        .filter(node -> node instanceof TopologyDescription.Source)
        .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
        .filter(topic -> !commandTopics.contains(topic))
        .map(topic -> topic.endsWith("-repartition") ? applicationId + "-" + topic : topic)
        .distinct()
        .toList();
  }

  /**
   * The command side's exactly-once settings, with the replay's own dead-letter topic. Each task merges an
   * aggregate's public and internal commands by their time, waiting for both (production took them as they came).
   */
  private static Properties config(Settings settings, Topics shadow, String applicationId) {
    Properties config = StreamsSettings.exactlyOnce(applicationId, settings.clientProperties(), settings.stateDir());
    config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, shadow.dlq.name());
    config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, MERGE_PATIENCE.toMillis());
    return config;
  }

  /**
   * Refuses a topology that would write anywhere but the prefixed topics and its own repartition topics (which Kafka
   * Streams names after the application id): a shadow must never touch production.
   */
  static void requireShadowSinks(Topology topology, String prefix) {
    List<TopologyDescription.Node> nodes = topology.describe().subtopologies().stream()
        .flatMap(subtopology -> subtopology.nodes().stream()).toList();
    Set<String> readBack = nodes.stream().filter(node -> node instanceof TopologyDescription.Source)
        .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
        .filter(topic -> topic.endsWith("-repartition"))
        .collect(Collectors.toSet());
    for (TopologyDescription.Node node : nodes) {
      if (node instanceof TopologyDescription.Sink sink && (sink.topic() == null
          || !(sink.topic().startsWith(prefix) || readBack.contains(sink.topic())))) {
        throw new IllegalStateException("the command side writes to " + (sink.topic() == null ? "a dynamic topic"
            : sink.topic()) + " (sink " + sink.name() + "), not to a topic prefixed with '" + prefix
            + "'; a shadow replay cannot run it without touching production");
      }
    }
  }

  private static int partitionsOf(Admin admin, String topic) {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
          .partitions().size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not describe " + topic + " (is this a Ledgerstream cluster?): " + e, e);
    }
  }
}
