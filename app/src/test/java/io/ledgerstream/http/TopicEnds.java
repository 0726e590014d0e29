package io.ledgerstream.http;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** The end offsets of topics: equal before and after means nothing was written to them. */
final class TopicEnds {

  private TopicEnds() {
  }

  /** Every partition's end offset of these topics, as {@code topic-partition -> offset}, in a stable order. */
  static Map<String, Long> of(Map<String, Object> clientProperties, List<String> topics) {
    try (Admin admin = Admin.create(clientProperties)) {
      List<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
          .flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
          .toList();
      return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
          .all().get().entrySet().stream()
          .collect(Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().offset(), (a, b) -> a, TreeMap::new));
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the end offsets of " + topics, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
