package io.ledgerstream.cli;

import io.ledgerstream.node.KafkaAcls;
import io.ledgerstream.registry.SchemaRegistryClients;
import io.ledgerstream.registry.SchemaRegistryConfig;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topics;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the Kafka ACLs of least privilege for the application and for command-sending clients. */
@Command(name = "acls", mixinStandardHelpOptions = true,
    description = "Print the kafka-acls.sh commands that grant the application, and clients that send commands, "
        + "exactly what they need and nothing more.")
final class AclsCommand implements Callable<Integer> {

  @Option(names = "--app-principal", defaultValue = "User:ledgerstream",
      description = "The principal serve and export run as (default: ${DEFAULT-VALUE}).")
  String appPrincipal;

  @Option(names = "--client-principal", defaultValue = "User:ledger-client",
      description = "A principal that sends commands and reads their results (default: ${DEFAULT-VALUE}).")
  String clientPrincipal;

  @Option(names = "--bootstrap-servers", defaultValue = ConnectionOptions.DEFAULT_BOOTSTRAP_SERVERS,
      description = "Put in the printed commands (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Override
  public Integer call() {
    // only the topic names matter here; no registry is contacted
    Topics topics = new Topics(new RegistryRecordSerdes(
        SchemaRegistryClients.create(Map.of(SchemaRegistryConfig.URL, "mock://acls")), false));
    System.out.println("# The application (" + appPrincipal + "): its topics, its Kafka Streams internal topics, "
        + "consumer groups and transactional ids.");
    KafkaAcls.commands(KafkaAcls.application(appPrincipal, topics), bootstrapServers).forEach(System.out::println);
    System.out.println("# A client that sends commands (" + clientPrincipal + "): write the public command topics, "
        + "read the results. Nothing else: the events, snapshots and internal topics stay the application's.");
    KafkaAcls.commands(KafkaAcls.commandProducer(clientPrincipal, topics), bootstrapServers)
        .forEach(System.out::println);
    return 0;
  }
}
