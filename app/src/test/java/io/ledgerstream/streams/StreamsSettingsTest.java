package io.ledgerstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

  private static final String RESTORE_POLL =
      StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
  private static final Path STATE = Path.of("target", "streams-settings-test");
  private static final Map<String, String> CLIENT = Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");

  @Test
  void restoresTakeLargerPollsOnBothSidesAndKeepExactlyOnce() {
    for (Properties props : new Properties[] {
        StreamsSettings.exactlyOnce(StreamsSettings.COMMAND_SIDE_APPLICATION_ID, CLIENT, STATE),
        StreamsSettings.projections(StreamsSettings.PROJECTIONS_APPLICATION_ID, CLIENT, STATE)}) {
      StreamsConfig config = new StreamsConfig(props);
      assertThat(config.getRestoreConsumerConfigs("client").get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG))
          .isEqualTo(StreamsSettings.RESTORE_POLL_RECORDS);
      assertThat(config.getMainConsumerConfigs("group", "client", 0).get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG))
          .as("the main consumer keeps Kafka Streams' own poll size")
          .isNotEqualTo(StreamsSettings.RESTORE_POLL_RECORDS);
      assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    }
  }

  @Test
  void theUsersRestorePollSizeWins() {
    Properties props = StreamsSettings.exactlyOnce(StreamsSettings.COMMAND_SIDE_APPLICATION_ID,
        Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092", RESTORE_POLL, "500"), STATE);

    assertThat(new StreamsConfig(props).getRestoreConsumerConfigs("client")
        .get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo("500");
  }
}
