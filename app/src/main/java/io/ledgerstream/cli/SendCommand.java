package io.ledgerstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerstream.Ledger;
import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.avro.CommandStatus;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.client.InvalidCommandException;
import io.ledgerstream.streams.AggregateType;
import io.ledgerstream.streams.CommandInput;
import io.ledgerstream.streams.RegistryRecordSerdes;
import io.ledgerstream.streams.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Produces one command from the terminal, in Avro through the registry, and optionally waits for its result. */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Send one command: `send <aggregate type> <id> <command type> field=value ...`; without the command "
        + "type it lists them.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:sent (with --wait: accepted)", "1:rejected", "2:invalid command or usage", "3:no result in time"})
final class SendCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "AGGREGATE",
      description = "The aggregate type, as registered; a wrong one lists them.")
  String aggregateType;

  @Parameters(index = "1", paramLabel = "ID", description = "The aggregate's id (the record key).")
  String aggregateId;

  @Parameters(index = "2", arity = "0..1", paramLabel = "TYPE",
      description = "Command type (or give it in --json as \"type\").")
  String type;

  @Parameters(index = "3..*", paramLabel = "FIELD=VALUE", description = "Command fields, e.g. amountMinor=1000.")
  List<String> fields = List.of();

  @Option(names = "--json", paramLabel = "JSON", description = "The command as JSON: {\"type\": ..., fields...}.")
  String json;

  @Option(names = "--command-id", description = "Idempotency key (default: a new UUID).")
  String commandId;

  @Option(names = "--correlation-id", description = "Correlation id (default: the command id).")
  String correlationId;

  @Option(names = "--expected-version", description = "Reject unless the aggregate is at this version.")
  Long expectedVersion;

  @Option(names = "--wait", description = "Wait for the command's result and print it: this command's own, not that of "
      + "what a worker does after it (a process it starts shows in its aggregate's state).")
  boolean await;

  @Option(names = "--timeout", defaultValue = "PT30S", description = "How long --wait waits, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    AggregateType<?, ?, ?> target;
    try {
      target = CommandFactory.typeNamed(Ledger.AGGREGATE_TYPES, aggregateType);
    } catch (InvalidCommandException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, Object> payload = payloadFields();
    String commandType = type != null ? type : (String) payload.remove("type");
    if (commandType == null) {
      throw new ParameterException(spec.commandLine(), "give the command TYPE, or \"type\" in --json; "
          + aggregateType + " takes " + target.commandTypes());
    }
    SpecificRecord envelope;
    try {
      envelope = CommandFactory.envelope(target, commandType, payload,
          CommandFactory.metadata(commandId, correlationId, expectedVersion, "cli"));
    } catch (InvalidCommandException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    // refused here rather than by the command side, so nothing is produced
    CommandInput.problem(target, aggregateId, envelope).ifPresent(problem -> {
      throw new ParameterException(spec.commandLine(), problem);
    });
    String id = ((io.ledgerstream.avro.CommandMetadata) envelope.get(0)).getCommandId();
    try (CommandSender sender = new CommandSender(connection.kafkaProperties(), topics())) {
      if (!await) {
        RecordMetadata sent = sender.send(aggregateType, aggregateId, envelope);
        System.out.printf("sent %s %s to %s-%d@%d%n", commandType, id, sent.topic(), sent.partition(), sent.offset());
        return 0;
      }
      Optional<CommandResult> result = sender.sendAndAwait(aggregateType, aggregateId, envelope, id, timeout);
      if (result.isEmpty()) {
        System.err.printf("sent %s %s, but no result within %s%n", commandType, id, timeout);
        return 3;
      }
      System.out.println(result.get());
      return result.get().getStatus() == CommandStatus.ACCEPTED ? 0 : 1;
    }
  }

  private Map<String, Object> payloadFields() {
    Map<String, Object> payload = new LinkedHashMap<>();
    if (json != null) {
      try {
        payload.putAll(JSON.readValue(json, Map.class));
      } catch (JsonProcessingException e) {
        throw new ParameterException(spec.commandLine(), "--json is not a JSON object: " + e.getOriginalMessage());
      }
    }
    for (String field : fields) {
      int equals = field.indexOf('=');
      if (equals <= 0) {
        throw new ParameterException(spec.commandLine(), "expected FIELD=VALUE, got '" + field + "'");
      }
      payload.put(field.substring(0, equals), field.substring(equals + 1));
    }
    return payload;
  }

  private Topics topics() {
    return new Topics(new RegistryRecordSerdes(connection.registry(), false), Ledger.AGGREGATE_TYPES);
  }
}
