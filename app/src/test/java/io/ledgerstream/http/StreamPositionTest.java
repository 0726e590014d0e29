package io.ledgerstream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.Ledger;
import io.ledgerstream.streams.Topics;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The text form of a stream position, which clients hold as their Last-Event-ID. */
class StreamPositionTest {

  private static final StreamPosition.Layout LAYOUT = StreamPosition.Layout.of(Ledger.AGGREGATE_TYPES);

  @Test
  void formatsEveryPartitionOfBothTopicsAndParsesBack() {
    StreamPosition position = StreamPosition.empty(LAYOUT);
    position.set(new TopicPartition(Topics.ACCOUNT_EVENTS, 1), 7);
    position.set(new TopicPartition(Topics.ACCOUNT_EVENTS, 0), 15);
    position.set(new TopicPartition(Topics.TRANSFER_EVENTS, 0), 3);
    assertThat(position.format()).isEqualTo("a.15.7_t.3");
    StreamPosition parsed = StreamPosition.parse("a.15.7_t.3", LAYOUT);
    assertThat(parsed.offset(new TopicPartition(Topics.ACCOUNT_EVENTS, 1))).isEqualTo(7);
    assertThat(parsed.offset(new TopicPartition(Topics.TRANSFER_EVENTS, 0))).isEqualTo(3);
    assertThat(parsed.format()).isEqualTo("a.15.7_t.3");
  }

  @Test
  void partitionsThePositionDoesNotCoverAreUnknown() {
    StreamPosition parsed = StreamPosition.parse("a.4", LAYOUT);
    assertThat(parsed.offset(new TopicPartition(Topics.ACCOUNT_EVENTS, 1))).isEqualTo(-1);
    assertThat(parsed.offset(new TopicPartition(Topics.TRANSFER_EVENTS, 0))).isEqualTo(-1);
  }

  @Test
  void rejectsWhatThisApiNeverIssued() {
    for (String malformed : new String[] {"", "x.1", "a.1.-2", "a.1,2", "a..1", "a.99999999999999999999",
        "a.1_t.2_", "a:0=15"}) {
      assertThatThrownBy(() -> StreamPosition.parse(malformed, LAYOUT)).as(malformed)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> StreamPosition.parse("a." + "1.".repeat(3000), LAYOUT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
