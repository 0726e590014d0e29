package io.ledgerstream.faults;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the read side's views of one aggregate, waiting until they caught up with a version. */
public interface ProjectionReader {

  /** The account summary once it reached {@code minVersion}, or what went wrong. */
  Reading account(String accountId, long minVersion);

  /** The transfer status once it reached {@code minVersion}, or what went wrong. */
  Reading transfer(String transferId, long minVersion);

  /** A view as JSON, or the problem that kept it from being read (then body is null). */
  record Reading(JsonNode body, String problem) {

    static Reading of(JsonNode body) {
      return new Reading(body, null);
    }

    static Reading failed(String problem) {
      return new Reading(null, problem);
    }
  }
}
