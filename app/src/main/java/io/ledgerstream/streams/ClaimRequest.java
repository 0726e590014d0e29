package io.ledgerstream.streams;

import io.ledgerstream.avro.CommandMetadata;
import io.ledgerstream.domain.Rejection;
import io.ledgerstream.domain.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a public command into a claim request: keyed by its command id, the command's bytes, and in headers what the
 * claim needs (type, aggregate, payload hash, correlation), where the command was written, and why it must be refused
 * if it must (a worker-only type, invalid input). A client's own
 * headers stay behind: nothing a client sets travels further.
 */
final class ClaimRequest<AC extends SpecificRecord> implements Processor<String, AC, String, byte[]> {

  private final AggregateType<AC, ?, ?> type;
  private final Topic<String, AC> commands;
  private ProcessorContext<String, byte[]> context;
  private Serializer<AC> serializer;

  ClaimRequest(AggregateType<AC, ?, ?> type, Topic<String, AC> commands) {
    this.type = type;
    this.commands = commands;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.serializer = commands.valueSerde().serializer();
  }

  @Override
  public void process(Record<String, AC> command) {
    CommandMetadata metadata = type.binding().metadata(command.value());
    Headers headers = new RecordHeaders();
    put(headers, ClaimStage.TYPE_HEADER, type.name());
    put(headers, ClaimStage.AGGREGATE_HEADER, command.key());
    put(headers, ClaimStage.HASH_HEADER, Claim.hash(Envelope.payload(command.value())));
    put(headers, ClaimStage.SOURCE_HEADER, context.recordMetadata()
        .map(written -> ClaimStage.position(written.topic(), written.partition(), written.offset())).orElse(""));
    if (metadata.getCorrelationId() != null) {
      put(headers, ClaimStage.CORRELATION_HEADER, metadata.getCorrelationId());
    }
    refusal(command).ifPresent(refusal -> {
      put(headers, ClaimStage.REFUSAL_CODE_HEADER, refusal.code().name());
      put(headers, ClaimStage.REFUSAL_HEADER, refusal.message());
    });
    byte[] bytes = serializer.serialize(commands.name(), command.value());
    context.forward(new Record<>(metadata.getCommandId(), bytes, command.timestamp(), headers));
  }

  /**
   * Why no public command may be this one, whoever sent it: a type only the application sends, or input no command may
   * carry. Such a command claims nothing, so a corrected one can take its id.
   */
  private Optional<Rejection> refusal(Record<String, AC> command) {
    String payloadType = Envelope.payloadType(command.value());
    if (type.isWorkerOnly(payloadType)) {
      return Optional.of(new Rejection(RejectionCode.RESERVED_COMMAND,
          payloadType + " is sent by the application only, never on " + commands.name()));
    }
    return CommandInput.problem(type, command.key(), command.value())
        .map(problem -> new Rejection(RejectionCode.INVALID_INPUT, problem));
  }

  private static void put(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
