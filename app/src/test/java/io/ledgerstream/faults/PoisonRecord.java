package io.ledgerstream.faults;

/**
 * A command record the command side cannot read and must dead-letter exactly once.
 *
 * @param kind what is wrong with it, for messages: "garbage", "unknown schema id", ...
 */
public record PoisonRecord(String kind, RawRecord record) {

  @Override
  public String toString() {
    return kind + " " + record;
  }
}
