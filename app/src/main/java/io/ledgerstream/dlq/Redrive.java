package io.ledgerstream.dlq;

import java.time.Instant;

/**
 * That a dead letter was re-driven, stored as JSON under the letter's position in {@value RedriveLog#TOPIC}: when, by
 * whom, and where the copy went. Its field names are stored: never rename them.
 *
 * @param letter the dead letter's position, {@code <partition>@<offset>}
 * @param topic the topic the copy was produced to, the one the letter came from
 * @param partition the copy's partition there
 * @param offset the copy's offset there
 * @param by who asked: {@code cli:<user>} or {@code http:<address>}
 */
public record Redrive(String letter, Instant redrivenAt, String topic, int partition, long offset, String by) {

  /** Where the copy went, e.g. {@code ledger.account.commands/2@118}. */
  public String copy() {
    return topic + "/" + partition + "@" + offset;
  }
}
