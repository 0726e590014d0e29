package io.ledgerstream.topology;

import io.ledgerstream.avro.AccountCommand;
import io.ledgerstream.avro.AccountEvent;
import io.ledgerstream.avro.AccountState;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.streams.CommandSideConfig;
import io.ledgerstream.streams.CommandTopology;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.StreamsSettings;
import io.ledgerstream.streams.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The production command-side topology in a TopologyTestDriver, with an in-memory registry of its own. */
final class CommandSideDriver implements AutoCloseable {

  final String registryScope = "command-side-" + UUID.randomUUID();
  final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
  final Topics topics = new Topics(new RegistryRecordSerdes(registry, true));
  final TopologyTestDriver driver;
  final TestInputTopic<String, AccountCommand> accountCommands;
  final TestInputTopic<String, byte[]> rawAccountCommands;
  final TestOutputTopic<String, AccountEvent> accountEvents;
  final TestOutputTopic<String, AccountState> accountState;
  final TestOutputTopic<String, CommandResult> results;
  final TestOutputTopic<byte[], byte[]> dlq;

  CommandSideDriver() {
    this(CommandSideConfig.DEFAULTS);
  }

  CommandSideDriver(CommandSideConfig config) {
    Properties props = StreamsSettings.exactlyOnce("command-side-test",
        Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
        Path.of("target", "kafka-streams", registryScope));
    driver = new TopologyTestDriver(CommandTopology.build(topics, new RegistryRecordSerdes(registry, true), config), props,
        Instant.parse("2026-01-01T00:00:00Z"));
    accountCommands = driver.createInputTopic(Topics.ACCOUNT_COMMANDS, Serdes.String().serializer(),
        topics.accountCommands.valueSerde().serializer());
    rawAccountCommands = driver.createInputTopic(Topics.ACCOUNT_COMMANDS, Serdes.String().serializer(),
        Serdes.ByteArray().serializer());
    accountEvents = driver.createOutputTopic(Topics.ACCOUNT_EVENTS, Serdes.String().deserializer(),
        topics.accountEvents.valueSerde().deserializer());
    accountState = driver.createOutputTopic(Topics.ACCOUNT_STATE, Serdes.String().deserializer(),
        topics.accountState.valueSerde().deserializer());
    results = driver.createOutputTopic(Topics.COMMAND_RESULTS, Serdes.String().deserializer(),
        topics.commandResults.valueSerde().deserializer());
    dlq = driver.createOutputTopic(Topics.DLQ, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
  }

  @Override
  public void close() {
    driver.close();
    InMemorySchemaRegistry.drop(registryScope);
  }
}
