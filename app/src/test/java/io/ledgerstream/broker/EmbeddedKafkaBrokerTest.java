package io.ledgerstream.broker;

import static io.ledgerstream.testing.KafkaClients.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ledgerstream.testing.KafkaClients;
import io.ledgerstream.testing.TargetDirs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String TOPIC = "ledger.restart-check";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private static final String GROUP = "restart-check";

  @Test
  void keepsTopicsCommittedRecordsAndGroupOffsetsAcrossRestarts() throws Exception {
    Path dataDir = TargetDirs.fresh("embedded-broker-restart");
    long committedOffset;
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0, 0).start()) {
      committedOffset = writeTransactionsAndCommitGroupOffset(broker.bootstrapServers());
      broker.close();
      assertThat(broker.isRunning()).isFalse();
    }

    // a new instance on other ports: only the data directory carries over
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0, 0).start()) {
      assertEverythingSurvived(broker.bootstrapServers(), committedOffset);

      broker.kill();
      broker.start();
      assertEverythingSurvived(broker.bootstrapServers(), committedOffset);
    }
  }

  @Test
  void aBrokerKilledBesideASeparateControllerRestartsWithEverythingWhileTheControllerStaysUp() throws Exception {
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(TargetDirs.fresh("embedded-broker-separate"), 0, 0)
        .withSeparateController().start()) {
      long committedOffset = writeTransactionsAndCommitGroupOffset(broker.bootstrapServers());
      long controllerPid = broker.controllerPid().orElseThrow();
      assertThat(controllerPid).isNotEqualTo(broker.pid());
      List<String> options = EmbeddedKafkaBroker.jvmOptions(System.getProperty(EmbeddedKafkaBroker.JVM_OPTIONS_PROPERTY));
      assertThat(options).as("the build sets " + EmbeddedKafkaBroker.JVM_OPTIONS_PROPERTY).isNotEmpty();
      assertThat(arguments(broker.pid())).as("the broker's JVM").containsSubsequence(options);
      assertThat(arguments(controllerPid)).as("the controller's JVM").containsSubsequence(options);

      broker.kill();
      assertThat(broker.isRunning()).isFalse();
      assertThat(broker.controllerPid()).as("the controller after the broker's kill").hasValue(controllerPid);

      broker.start();
      assertEverythingSurvived(broker.bootstrapServers(), committedOffset);
      assertThat(broker.controllerPid()).as("the controller after the broker's restart").hasValue(controllerPid);

      broker.close();
      assertThat(broker.controllerPid()).as("the controller after close").isEmpty();
      assertThat(ProcessHandle.of(controllerPid).filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  @Test
  void brokerStopsWhenItsParentJvmIsKilled() throws Exception {
    Path dataDir = TargetDirs.fresh("broker-orphan");
    Process parent = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
        BrokerParentMain.class.getName(), dataDir.toString())
        .redirectErrorStream(true)
        .start();
    List<String> output = new CopyOnWriteArrayList<>();
    long brokerPid = -1;
    try {
      brokerPid = CompletableFuture.supplyAsync(() -> brokerPidPrintedBy(parent, output))
          .get(90, TimeUnit.SECONDS);
      assertThat(brokerPid).as("broker pid, parent printed %s", output).isPositive();
      ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();

      parent.destroyForcibly().waitFor();

      await().atMost(Duration.ofSeconds(20)).until(() -> !broker.isAlive());
    } finally {
      parent.destroyForcibly();
      if (brokerPid > 0) {
        ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void failedStartReportsTheCauseFromTheBrokerLog() throws Exception {
    try (ServerSocket taken = new ServerSocket(0);
        EmbeddedKafkaBroker broker =
            new EmbeddedKafkaBroker(TargetDirs.fresh("broker-port-taken"), taken.getLocalPort(), 0)) {
      assertThatThrownBy(broker::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining("Address already in use");
      assertThat(broker.isRunning()).isFalse();
    }
  }

  @Test
  void startGivesUpAfterItsTimeoutAndLeavesNoProcess() {
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(TargetDirs.fresh("broker-timeout"), 0, 0)
        .withStartTimeout(Duration.ofMillis(300))) {
      assertThatThrownBy(broker::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("did not answer within 300 ms")
          .hasMessageContaining("broker.log");
      assertThat(broker.isRunning()).isFalse();
    }
  }

  /** Returns the offset committed for the group: just after "second". */
  private static long writeTransactionsAndCommitGroupOffset(String bootstrapServers) {
    KafkaClients.createTopic(bootstrapServers, TOPIC, 1);
    try (KafkaProducer<String, String> producer =
        KafkaClients.transactionalProducer(bootstrapServers, "restart-check")) {
      producer.initTransactions();
      KafkaClients.sendCommitted(producer, TOPIC, "first", "second");
      KafkaClients.sendAborted(producer, TOPIC, "aborted");
      KafkaClients.sendCommitted(producer, TOPIC, "third");
    }
    try (KafkaConsumer<String, String> consumer = KafkaClients.readCommittedConsumer(bootstrapServers, GROUP)) {
      consumer.subscribe(List.of(TOPIC));
      List<ConsumerRecord<String, String>> records = poll(consumer, 3, TIMEOUT);
      assertThat(records).extracting(ConsumerRecord::value).containsExactly("first", "second", "third");
      long afterSecond = records.get(1).offset() + 1;
      consumer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(afterSecond)));
      return afterSecond;
    }
  }

  @Test
  void extraJvmOptionsAreSplitAtWhitespace() {
    assertThat(EmbeddedKafkaBroker.jvmOptions(null)).isEmpty();
    assertThat(EmbeddedKafkaBroker.jvmOptions("  ")).isEmpty();
    assertThat(EmbeddedKafkaBroker.jvmOptions(" -XX:TieredStopAtLevel=1 \t -Xss1m ")).containsExactly(
        "-XX:TieredStopAtLevel=1", "-Xss1m");
  }

  /** The process's command line (Linux's {@code /proc}: the JDK leaves a long one's arguments out). */
  private static List<String> arguments(long pid) throws IOException {
    return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\u0000"));
  }

  private static void assertEverythingSurvived(String bootstrapServers, long committedOffset) throws Exception {
    try (Admin admin = KafkaClients.admin(bootstrapServers)) {
      assertThat(admin.listTopics().names().get()).contains(TOPIC);
      OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
          .get(PARTITION);
      assertThat(committed.offset()).isEqualTo(committedOffset);
    }
    try (KafkaConsumer<String, String> consumer =
        KafkaClients.readCommittedConsumer(bootstrapServers, "restart-check-" + System.nanoTime())) {
      consumer.subscribe(List.of(TOPIC));
      assertThat(poll(consumer, 3, TIMEOUT)).extracting(ConsumerRecord::value)
          .containsExactly("first", "second", "third");
    }
    try (KafkaConsumer<String, String> consumer = KafkaClients.readCommittedConsumer(bootstrapServers, GROUP)) {
      consumer.subscribe(List.of(TOPIC));
      assertThat(poll(consumer, 1, TIMEOUT)).extracting(ConsumerRecord::value).containsExactly("third");
    }
  }

  private static long brokerPidPrintedBy(Process parent, List<String> output) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.add(line);
        if (line.startsWith(BrokerParentMain.PID_PREFIX)) {
          return Long.parseLong(line.substring(BrokerParentMain.PID_PREFIX.length()));
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
