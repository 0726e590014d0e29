package io.ledgerstream.node;

import io.ledgerstream.dlq.DeadLetters;
import io.ledgerstream.lake.LakeSettings;
import io.ledgerstream.privacy.KeyRing;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.generation.GenerationSupervisor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least Kafka privileges each principal needs, derived from the topics the application creates
 * ({@link Topics}) and the ids its streams applications run under, so a topic added there is covered here: the
 * application may use its own topics, internal topics, groups and transactional ids and nothing else; a client that
 * sends commands may write the public command topics and read the results, and nothing else.
 */
public final class KafkaAcls {

  private static final List<AclOperation> OWN_TOPIC = List.of(AclOperation.READ, AclOperation.WRITE,
      AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS);
  // Kafka Streams creates, reads, writes and purges (DeleteRecords) its changelog and repartition topics
  private static final List<AclOperation> INTERNAL_TOPIC = List.of(AclOperation.READ, AclOperation.WRITE,
      AclOperation.CREATE, AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS);

  private KafkaAcls() {
  }

  /**
   * What the application's principal needs to run {@code serve} (command side, transfer worker, projections and
   * their rebuilds, HTTP API) and {@code export}.
   */
  public static List<AclBinding> application(String principal, Topics topics) {
    List<AclBinding> acls = new ArrayList<>();
    Stream.concat(topics.all().stream().map(Topic::name), Stream.of(GenerationSupervisor.LOG_TOPIC,
        DeadLetters.REDRIVES_TOPIC, KeyRing.TOPIC))
        .forEach(topic -> allow(acls, principal, literal(ResourceType.TOPIC, topic), OWN_TOPIC));
    for (String applicationId : List.of(StreamsSettings.COMMAND_SIDE_APPLICATION_ID,
        StreamsSettings.PROJECTIONS_APPLICATION_ID)) {
      // the projections prefix also covers their rebuilt generations, ledgerstream-projections-g2 and on
      allow(acls, principal, prefixed(ResourceType.TOPIC, applicationId + "-"), INTERNAL_TOPIC);
      allow(acls, principal, prefixed(ResourceType.GROUP, applicationId), List.of(AclOperation.READ));
      allow(acls, principal, prefixed(ResourceType.TRANSACTIONAL_ID, applicationId), List.of(AclOperation.WRITE));
    }
    // an ended generation's group is deleted with its topics
    allow(acls, principal, prefixed(ResourceType.GROUP, StreamsSettings.PROJECTIONS_APPLICATION_ID),
        List.of(AclOperation.DELETE));
    allow(acls, principal, literal(ResourceType.GROUP, LakeSettings.DEFAULT_GROUP_ID), List.of(AclOperation.READ));
    // re-driving dead letters writes the copies and the re-drive log in one transaction
    allow(acls, principal, literal(ResourceType.TRANSACTIONAL_ID, DeadLetters.TRANSACTIONAL_ID),
        List.of(AclOperation.WRITE));
    return List.copyOf(acls);
  }

  /** What a client principal needs to send commands (HTTP aside) and read their results. */
  public static List<AclBinding> commandProducer(String principal, Topics topics) {
    List<AclBinding> acls = new ArrayList<>();
    topics.clientCommands().forEach(topic ->
        allow(acls, principal, literal(ResourceType.TOPIC, topic.name()), List.of(AclOperation.WRITE)));
    allow(acls, principal, literal(ResourceType.TOPIC, topics.commandResults.name()), List.of(AclOperation.READ));
    return List.copyOf(acls);
  }

  /** The bindings as {@code kafka-acls.sh --add} commands, one per resource, with every operation on it. */
  public static List<String> commands(List<AclBinding> acls, String bootstrapServers) {
    Map<String, List<AclBinding>> byResource = acls.stream().collect(Collectors.groupingBy(
        binding -> binding.entry().principal() + " " + binding.pattern(), LinkedHashMap::new, Collectors.toList()));
    List<String> commands = new ArrayList<>();
    for (List<AclBinding> resource : byResource.values()) {
      ResourcePattern pattern = resource.get(0).pattern();
      StringBuilder command = new StringBuilder("kafka-acls.sh --bootstrap-server " + bootstrapServers
          + " --add --allow-principal " + resource.get(0).entry().principal());
      resource.forEach(binding -> command.append(" --operation ").append(operationName(binding.entry().operation())));
      command.append(" --").append(switch (pattern.resourceType()) {
        case TOPIC -> "topic";
        case GROUP -> "group";
        case TRANSACTIONAL_ID -> "transactional-id";
        default -> throw new IllegalArgumentException("no kafka-acls option for " + pattern.resourceType());
      }).append(' ').append(pattern.name());
      if (pattern.patternType() == PatternType.PREFIXED) {
        command.append(" --resource-pattern-type prefixed");
      }
      commands.add(command.toString());
    }
    return commands;
  }

  /** kafka-acls.sh's spelling of an operation, e.g. {@code DescribeConfigs}. */
  static String operationName(AclOperation operation) {
    return Stream.of(operation.name().toLowerCase().split("_"))
        .map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
        .collect(Collectors.joining());
  }

  private static void allow(List<AclBinding> acls, String principal, ResourcePattern resource,
                            List<AclOperation> operations) {
    for (AclOperation operation : operations) {
      acls.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
    }
  }

  private static ResourcePattern literal(ResourceType type, String name) {
    return new ResourcePattern(type, name, PatternType.LITERAL);
  }

  private static ResourcePattern prefixed(ResourceType type, String prefix) {
    return new ResourcePattern(type, prefix, PatternType.PREFIXED);
  }
}
