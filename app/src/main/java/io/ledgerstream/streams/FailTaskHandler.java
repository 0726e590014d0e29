package io.ledgerstream.streams;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails the task on an exception inside a processor or punctuator, and writes no dead letter: the transaction aborts,
 * the replaced stream thread resumes from the last commit and runs the record again whole.
 *
 * <p>Only transient failures get here (the registry, RocksDB, the broker): the command side answers bad input with a
 * rejection and dead-letters what does not decode before any processor sees it. Logging and continuing instead would
 * commit whatever the processor had forwarded before it threw (events without their snapshot, memory or result), and
 * a dead letter would lose a valid command.
 */
public final class FailTaskHandler implements ProcessingExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(FailTaskHandler.class);

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    log.warn("Task {} failed at {}-{}@{} in {}; it rolls back and runs again from its last commit: {}",
        context.taskId(), context.topic(), context.partition(), context.offset(), context.processorNodeId(),
        exception.toString());
    return Response.fail();
  }

  @Override
  public void configure(Map<String, ?> configs) {
  }
}
