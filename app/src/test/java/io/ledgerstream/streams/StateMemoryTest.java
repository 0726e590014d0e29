package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.testing.TargetDirs;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class StateMemoryTest {

  @Test
  void everyRocksDbStoreOfTheJvmChargesTheOneCacheOfItsBudget() {
    // a budget no other test uses, so the shared cache starts empty
    long budget = 64L * 1024 * 1024 + 4096;
    assertThat(StateMemory.usage(budget)).isZero();

    try (TopologyTestDriver first = driver("first", budget); TopologyTestDriver second = driver("second", budget)) {
      write(first, 2_000);
      long afterFirst = StateMemory.usage(budget);
      write(second, 2_000);

      assertThat(afterFirst).isPositive();
      assertThat(StateMemory.usage(budget)).isGreaterThan(afterFirst).isLessThanOrEqualTo(budget);
    }
  }

  @Test
  void theStreamsSettingsInstallItWithTheDefaultBudget() {
    Properties config = StreamsSettings.exactlyOnce("any", Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "x:9092"),
        TargetDirs.fresh("state-memory-settings"));

    assertThat(config.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(StateMemory.class);
    assertThat(StateMemory.budget(Map.of())).isEqualTo(StateMemory.DEFAULT_BUDGET_BYTES);
    assertThat(config.get(StateMemory.BUDGET_CONFIG)).isEqualTo(StateMemory.DEFAULT_BUDGET_BYTES);
  }

  @Test
  void keepsEachStoresMemtablesSmallSoIdleStoresCannotHoldTheWriteBuffers() {
    try (Options options = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
      new StateMemory().setConfig("any", options, Map.of(StateMemory.BUDGET_CONFIG, 64L * 1024 * 1024));
      assertThat(options.writeBufferSize()).isEqualTo(StateMemory.WRITE_BUFFER_BYTES).isEqualTo(1024L * 1024);
    }
  }

  @Test
  void aCatchingUpGenerationGivesItsStoresLargerMemtablesWithinTheSameBudget() {
    Properties catchingUp = StreamsSettings.projectionsCatchingUp("any",
        Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "x:9092"), TargetDirs.fresh("state-memory-catching-up"));
    Properties serving = StreamsSettings.projections("any",
        Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "x:9092"), TargetDirs.fresh("state-memory-serving"));
    assertThat(serving).doesNotContainKey(StateMemory.WRITE_BUFFER_CONFIG);

    try (Options options = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
      Map<String, Object> configs = Map.of(StateMemory.BUDGET_CONFIG, 64L * 1024 * 1024,
          StateMemory.WRITE_BUFFER_CONFIG, catchingUp.get(StateMemory.WRITE_BUFFER_CONFIG));
      new StateMemory().setConfig("any", options, configs);
      assertThat(options.writeBufferSize()).isEqualTo(StreamsSettings.CATCH_UP_WRITE_BUFFER_BYTES)
          .isEqualTo(8L * 1024 * 1024);
    }
    assertThatThrownBy(() -> StateMemory.writeBuffer(Map.of(StateMemory.WRITE_BUFFER_CONFIG, "-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(StateMemory.WRITE_BUFFER_CONFIG);
  }

  @Test
  void readsTheBudgetFromTheConfigsAndRefusesANonPositiveOne() {
    assertThat(StateMemory.budget(Map.of(StateMemory.BUDGET_CONFIG, "1048576"))).isEqualTo(1_048_576L);
    assertThat(StateMemory.budget(Map.of(StateMemory.BUDGET_CONFIG, 2048L))).isEqualTo(2048L);
    assertThatThrownBy(() -> StateMemory.budget(Map.of(StateMemory.BUDGET_CONFIG, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(StateMemory.BUDGET_CONFIG);
  }

  /** A count per key in a persistent store, run with the project's settings and the given budget. */
  private static TopologyTestDriver driver(String name, long budget) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in"))
        .groupByKey()
        .count(Named.as("count"), Materialized.as("counts"));
    Properties config = StreamsSettings.exactlyOnce("state-memory-" + name,
        Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"), TargetDirs.fresh("state-memory/" + name));
    config.put(StateMemory.BUDGET_CONFIG, budget);
    config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    return new TopologyTestDriver(builder.build(), config);
  }

  private static void write(TopologyTestDriver driver, int keys) {
    TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(),
        Serdes.String().serializer());
    for (int i = 0; i < keys; i++) {
      in.pipeInput("key-" + i, "value");
    }
  }
}
