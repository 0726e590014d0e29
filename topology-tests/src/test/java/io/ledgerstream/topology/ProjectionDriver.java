package io.ledgerstream.topology;

import io.ledgerstream.account.AccountProjections;
import io.ledgerstream.account.AccountType;
import io.ledgerstream.account.CurrencyTotals;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.streams.projection.ProjectionStores;
import io.ledgerstream.streams.projection.ProjectionTopology;
import io.ledgerstream.transfer.TransferProjections;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The production projections topology in a TopologyTestDriver, fed with records as the command side wrote them. */
final class ProjectionDriver implements AutoCloseable {

  static final List<String> STORES = List.of(AccountProjections.SUMMARY, AccountProjections.HISTORY,
      AccountProjections.BY_OWNER, ProjectionStores.COMMAND_RESULTS, TransferProjections.STATUS,
      AccountProjections.TOTALS, ProjectionStores.COUNTS, ProjectionStores.CORRELATIONS,
      ProjectionStores.history("transfer"), TransferProjections.BY_STATUS);

  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> rawAccountEvents;
  private final Map<String, TestInputTopic<String, SpecificRecord>> inputs = new HashMap<>();

  ProjectionDriver(InMemorySchemaRegistry registry, String scope) {
    Topics topics = new Topics(new RegistryRecordSerdes(registry, true));
    driver = new TopologyTestDriver(ProjectionTopology.build(topics, new RegistryRecordSerdes(registry, true)),
        StreamsSettings.projections(StreamsSettings.PROJECTIONS_APPLICATION_ID,
            Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
            Path.of("target", "kafka-streams", scope, "projections")),
        Instant.parse("2026-01-01T00:00:00Z"));
    for (Topic<?, ?> topic : topics.avroTopics()) {
      inputs.put(topic.name(), driver.createInputTopic(topic.name(), Serdes.String().serializer(), serializer(topic)));
    }
    rawAccountEvents = driver.createInputTopic(Topics.ACCOUNT_EVENTS, Serdes.String().serializer(),
        Serdes.ByteArray().serializer());
  }

  void pipe(LedgerSimulation.Logged record) {
    inputs.get(record.topic()).pipeInput(record.key(), record.value(), record.timestamp());
  }

  void pipeAll(List<LedgerSimulation.Logged> records) {
    records.forEach(this::pipe);
  }

  <V> KeyValueStore<String, V> store(String name) {
    return driver.getKeyValueStore(name);
  }

  /** Every entry of every projection store, to compare whole views. */
  Map<String, Map<String, Object>> contents() {
    Map<String, Map<String, Object>> contents = new TreeMap<>();
    for (String name : STORES) {
      Map<String, Object> entries = new TreeMap<>();
      try (KeyValueIterator<String, Object> all = this.<Object>store(name).all()) {
        all.forEachRemaining(entry -> entries.put(entry.key, entry.value));
      }
      contents.put(name, entries);
    }
    return contents;
  }

  @SuppressWarnings("unchecked")
  private static Serializer<SpecificRecord> serializer(Topic<?, ?> topic) {
    return (Serializer<SpecificRecord>) topic.valueSerde().serializer();
  }

  @Override
  public void close() {
    driver.close();
  }
}
