package io.ledgerstream.faults;

/**
 * A command a hostile client sent, and the refusal the command side must answer it with (nothing executed).
 *
 * @param kind what the client tried, for messages: "worker-only type", "id reused for another account", ...
 * @param expectedCode the rejection code of the refusal
 */
public record HostileRecord(String kind, RawRecord record, String expectedCode) {

  @Override
  public String toString() {
    return kind + " " + record;
  }
}
