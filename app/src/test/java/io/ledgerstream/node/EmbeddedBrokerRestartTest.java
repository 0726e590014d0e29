package io.ledgerstream.node;

import static org.assertj.core.api.Assertions.assertThat;
import io.ledgerstream.account.AccountType;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.broker.EmbeddedKafkaBroker;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.registry.InMemorySchemaRegistry;
import io.ledgerstream.testing.TargetDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded broker is a real process: stopping and starting it keeps every topic, offset and aggregate. */
class EmbeddedBrokerRestartTest {

  private final String registryScope = "broker-restart-" + UUID.randomUUID();
  private EmbeddedKafkaBroker broker;
  private LedgerNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (broker != null) {
      broker.close();
    }
    InMemorySchemaRegistry.drop(registryScope);
  }

  @Test
  void aggregatesSurviveARestartOfTheBrokerProcess() {
    Path data = TargetDirs.fresh("broker-restart");
    broker = new EmbeddedKafkaBroker(data.resolve("kafka"), 0, 0).start();
    node = LedgerNode.start(settings(data, broker.bootstrapServers()));
    assertThat(sendAndAwait("OpenAccount", Map.of("owner", "erin", "currency", "EUR")).getVersion()).isEqualTo(1);
    assertThat(sendAndAwait("DepositMoney", Map.of("amountMinor", 900L)).getVersion()).isEqualTo(2);
    node.close();
    broker.close();

    broker = new EmbeddedKafkaBroker(data.resolve("kafka"), 0, 0).start();
    node = LedgerNode.start(settings(data, broker.bootstrapServers()));

    CommandResult withdrawal = sendAndAwait("WithdrawMoney", Map.of("amountMinor", 900L));
    assertThat(withdrawal.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(withdrawal.getVersion()).isEqualTo(3);
  }

  private final String account = "restart-" + UUID.randomUUID();

  private CommandResult sendAndAwait(String type, Map<String, ?> fields) {
    SpecificRecord command = CommandFactory.envelope(AccountType.TYPE, type, fields,
        CommandFactory.metadata(null, null, null, "test"));
    String commandId = ((io.ledgerstream.avro.AccountCommand) command).getMetadata().getCommandId();
    try (CommandSender sender = new CommandSender(node.clientProperties(), node.topics())) {
      Optional<CommandResult> result = sender.sendAndAwait("account", account, command, commandId, Duration.ofSeconds(60));
      assertThat(result).as("result of %s", type).isPresent();
      return result.get();
    }
  }

  private NodeSettings settings(Path data, String bootstrapServers) {
    return NodeSettings.builder().bootstrapServers(bootstrapServers).schemaRegistryUrl("mock://" + registryScope).autoRegisterSchemas(true)
        .dataDir(data).kafkaPort(0).registryPort(0).httpPort(0).partitions(2).replicationFactor((short) 1).build();
  }
}
