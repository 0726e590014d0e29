package io.ledgerstream.streams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the contract's topics that are missing and refuses to start on one with the wrong cleanup policy. */
public final class TopicSetup {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

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
      create(admin, missing);
      verify(admin, topics.stream().filter(topic -> existing.contains(topic.name())).toList());
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

  private static void create(Admin admin, List<NewTopic> missing) throws InterruptedException, ExecutionException {
    if (missing.isEmpty()) {
      return;
    }
    try {
      admin.createTopics(missing).all().get();
      log.info("Created topics {} with {} partitions", missing.stream().map(NewTopic::name).toList(),
          missing.get(0).numPartitions());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
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
    for (Topic<?, ?> topic : topics) {
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
      String actual = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
      if (!topic.policy().cleanupMatches(actual)) {
        problems.add(topic.name() + " has cleanup.policy=" + actual + " but must have " + topic.policy().cleanupPolicy());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Topics exist with the wrong cleanup policy (fix them with kafka-configs "
          + "--alter --entity-type topics, or delete them): " + problems.stream().collect(Collectors.joining("; ")));
    }
  }
}
