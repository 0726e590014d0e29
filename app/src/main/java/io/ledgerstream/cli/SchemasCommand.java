package io.ledgerstream.cli;

import io.ledgerstream.Ledger;
import io.ledgerstream.node.SchemaSetup;
import io.ledgerstream.registry.SchemaRegistryClient;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topic;
import io.ledgerstream.streams.Topics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Registers or checks the current schema of every subject, for operators of an external registry. */
@Command(name = "schemas", mixinStandardHelpOptions = true,
    description = "Register (register) or check (check) the current schema of every subject in the registry.")
final class SchemasCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "register|check", description = "What to do.")
  String action;

  @Override
  public Integer call() {
    SchemaRegistryClient registry = connection.registry();
    Topics topics = new Topics(new RegistryRecordSerdes(registry, false), Ledger.AGGREGATE_TYPES);
    switch (action) {
      case "register" -> SchemaSetup.register(registry, topics.avroTopics());
      case "check" -> SchemaSetup.check(registry, topics.avroTopics());
      default -> throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "unknown action '" + action + "': use register or check");
    }
    for (Topic<?, ?> topic : topics.avroTopics()) {
      System.out.println(topic.valueSubject() + ": " + (action.equals("register") ? "registered" : "present"));
    }
    return 0;
  }
}
