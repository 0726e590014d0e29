package io.ledgerstream.streams.generation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a generation that ended leaves behind: its consumer group, its internal topics (changelogs and
 * repartition topics, named after its application id) and this instance's local state directory.
 */
final class GenerationRemoval {

  private static final Logger log = LoggerFactory.getLogger(GenerationRemoval.class);
  private static final long TIMEOUT_SECONDS = 30;

  private final Admin admin;
  private final Path stateDir;

  GenerationRemoval(Admin admin, Path stateDir) {
    this.admin = admin;
    this.stateDir = stateDir;
  }

  /**
   * Deletes the generation's consumer group, then its internal topics.
   *
   * @return false while some instance still runs the generation (its group has members): try again later
   */
  boolean fromCluster(Generation ended) {
    String group = ended.applicationId();
    try {
      admin.deleteConsumerGroups(List.of(group)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupNotEmptyException) {
        log.debug("Group {} still has members; it will be removed once they left", group);
        return false;
      }
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw new IllegalStateException("could not delete group " + group + ": " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException | TimeoutException e) {
      throw failed("deleting group " + group, e);
    }
    try {
      Set<String> topics = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
          .filter(topic -> Generation.ownerOf(topic).orElse(0) == ended.number())
          .collect(Collectors.toCollection(TreeSet::new));
      if (!topics.isEmpty()) {
        admin.deleteTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      log.info("Removed generation {}: consumer group {} and internal topics {}", ended.number(), group, topics);
      return true;
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not delete the topics of " + group + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw failed("deleting the topics of " + group, e);
    }
  }

  /** Deletes this instance's state directory of the generation, if there is one; it must not run here. */
  void localState(Generation ended) {
    Path dir = stateDir.resolve(ended.applicationId());
    if (!Files.exists(dir)) {
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

  private static IllegalStateException failed(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new IllegalStateException("interrupted while " + what, e);
    }
    return new IllegalStateException("timed out " + what, e);
  }
}
