package io.ledgerstream.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the contract's topics that are missing and refuses to start on one with the wrong cleanup policy. */
public final class TopicSetup {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);
  private static final Duration VISIBLE_POLL = Duration.ofMillis(50);

  private TopicSetup() {
  }

  /**
   * Makes sure every topic exists with its policy. Missing topics beside existing ones (an aggregate type added to a
   * running ledger) take the existing ones' partition count when they all agree: the projections merge every type's
   * streams, and Kafka Streams sizes the repartition topics after them.
   *
   * @param partitions of the topics created when none of {@code topics} exists yet
   * @throws IllegalStateException naming every existing topic whose cleanup policy differs from the contract's
   */
  public static void ensure(Admin admin, Collection<Topic<?, ?>> topics, int partitions, short replicationFactor) {
    try {
      Set<String> existing = admin.listTopics().names().get();
      int count = partitionsOfExisting(admin, topics, existing).orElse(partitions);
      List<NewTopic> missing = topics.stream()
          .filter(topic -> !existing.contains(topic.name()))
          .map(topic -> new NewTopic(topic.name(), count, replicationFactor).configs(topic.policy().configs()))
          .toList();
      // a topic listed as missing may have been created meanwhile (or not yet be listed): it is checked like the others
      Set<String> createdElsewhere = create(admin, missing);
      // the broker answers for a topic a moment after it is created; everything after this reads its metadata
      awaitVisible(admin, topics.stream().map(Topic::name).toList());
      verify(admin, topics.stream()
          .filter(topic -> existing.contains(topic.name()) || createdElsewhere.contains(topic.name())).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not set up topics: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The partition count every existing one of {@code topics} has, if some exist and they agree. */
  private static OptionalInt partitionsOfExisting(Admin admin, Collection<Topic<?, ?>> topics, Set<String> existing)
      throws InterruptedException, ExecutionException {
    List<String> names = topics.stream().map(Topic::name).filter(existing::contains).toList();
    if (names.isEmpty()) {
      return OptionalInt.empty();
    }
    Set<Integer> counts = admin.describeTopics(names).allTopicNames().get().values().stream()
        .map(description -> description.partitions().size())
        .collect(Collectors.toSet());
    if (counts.size() != 1) {
      log.warn("The ledger's topics have different partition counts {}; creating missing ones with the setting", counts);
      return OptionalInt.empty();
    }
    return OptionalInt.of(counts.iterator().next());
  }

  /** Waits until the broker describes every one of these topics, for at most {@link #VISIBLE_WITHIN}. */
  private static void awaitVisible(Admin admin, List<String> names) throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
    while (true) {
      try {
        admin.describeTopics(names).allTopicNames().get();
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(VISIBLE_POLL.toMillis());
      }
    }
  }

  /** Creates the topics and returns those that turned out to exist already. */
  private static Set<String> create(Admin admin, List<NewTopic> missing) throws InterruptedException,
      ExecutionException {
    Set<String> existed = new HashSet<>();
    if (missing.isEmpty()) {
      return existed;
    }
    for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
      try {
        created.getValue().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        existed.add(created.getKey());
      }
    }
    log.info("Created topics {} with {} partitions", missing.stream().map(NewTopic::name)
        .filter(name -> !existed.contains(name)).toList(), missing.get(0).numPartitions());
    return existed;
  }

  /**
   * Topics created by an earlier version carry the producer's time; switching them to the broker's is safe (records
   * already written keep theirs) and is done here, or the start fails naming them when this principal may not.
   */
  private static void stampByBroker(Admin admin, List<String> topics) throws InterruptedException {
    if (topics.isEmpty()) {
      return;
    }
    AlterConfigOp op = new AlterConfigOp(new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
        TopicPolicy.BROKER_TIME), AlterConfigOp.OpType.SET);
    try {
      admin.incrementalAlterConfigs(topics.stream().collect(Collectors.toMap(
          topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic), topic -> List.of(op)))).all().get();
      log.info("Set message.timestamp.type={} on {}", TopicPolicy.BROKER_TIME, topics);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Topics " + topics + " must have message.timestamp.type=" + TopicPolicy.BROKER_TIME
          + " (a command's time is the broker's, not the client's) and could not be changed: "
          + e.getCause().getMessage() + ". Set it with kafka-configs --alter --entity-type topics.", e.getCause());
    }
  }

  private static void verify(Admin admin, List<Topic<?, ?>> topics) throws InterruptedException, ExecutionException {
    if (topics.isEmpty()) {
      return;
    }
    List<ConfigResource> resources = topics.stream()
        .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name()))
        .toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
    List<String> problems = new ArrayList<>();
    List<String> producerStamped = new ArrayList<>();
    for (Topic<?, ?> topic : topics) {
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
      String actual = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
      if (!topic.policy().cleanupMatches(actual)) {
        problems.add(topic.name() + " has cleanup.policy=" + actual + " but must have " + topic.policy().cleanupPolicy());
      }
      if (topic.policy().brokerTime()
          && !TopicPolicy.BROKER_TIME.equals(config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value())) {
        producerStamped.add(topic.name());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Topics exist with the wrong cleanup policy (fix them with kafka-configs "
          + "--alter --entity-type topics, or delete them): " + problems.stream().collect(Collectors.joining("; ")));
    }
    stampByBroker(admin, producerStamped);
  }
}
