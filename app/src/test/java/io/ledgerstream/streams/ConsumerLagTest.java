package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.streams.ConsumerLag.PartitionLag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

  private static final List<PartitionLag> PARTITIONS = List.of(
      new PartitionLag("ledger.account.events", 0, 10, 40, 50, false),
      new PartitionLag("ledger.account.events", 1, 0, 30, 30, false),
      new PartitionLag("app-correlations-repartition", 0, 100, 100, 104, true));

  @Test
  void countsLagOverEveryPartitionButProgressOverTheExternalOnes() {
    ConsumerLag lag = new ConsumerLag(Instant.now(), PARTITIONS, true);
    assertThat(lag.lag()).isEqualTo(10 + 0 + 4);
    assertThat(lag.done()).isEqualTo(30 + 30);
    assertThat(lag.total()).isEqualTo(40 + 30);
    assertThat(lag.caughtUp()).isFalse();
  }

  @Test
  void isCaughtUpOnlyWithNoLagAndEveryInputKnown() {
    List<PartitionLag> done = List.of(new PartitionLag("t", 0, 0, 5, 5, false));
    assertThat(new ConsumerLag(Instant.now(), done, true).caughtUp()).isTrue();
    assertThat(new ConsumerLag(Instant.now(), done, false).caughtUp()).isFalse();
  }

  @Test
  void measuresAgainstOtherEnds() {
    ConsumerLag lag = new ConsumerLag(Instant.now(), PARTITIONS, true)
        .against(Map.of(new TopicPartition("ledger.account.events", 0), 40L));
    assertThat(lag.partitions().get(0).lag()).isZero();
    assertThat(lag.partitions().get(0).end()).isEqualTo(40);
    assertThat(lag.lag()).isEqualTo(4);
  }
}
