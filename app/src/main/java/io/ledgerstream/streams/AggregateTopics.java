package io.ledgerstream.streams;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topics of one aggregate type.
 *
 * @param commands the public command topic: any client may write it
 * @param internalCommands the commands the application sends itself (a worker's); only the application writes it
 * @param issuedCommands where the command side sends the commands it issues: the internal command topic, except in a
 *     shadow replay, where it is a prefixed copy so that a replay never sends production a command
 */
public record AggregateTopics<AC extends SpecificRecord, AE extends SpecificRecord, AS extends SpecificRecord>(
    AggregateType<AC, AE, AS> type,
    Topic<String, AC> commands,
    Topic<String, AC> internalCommands,
    Topic<String, AE> events,
    Topic<String, AS> state,
    Topic<String, AC> issuedCommands) {

  /** Both command topics the aggregate's processor reads, public first. */
  public List<Topic<String, AC>> commandInputs() {
    return List.of(commands, internalCommands);
  }
}
