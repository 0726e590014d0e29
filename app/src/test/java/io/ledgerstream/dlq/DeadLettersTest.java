package io.ledgerstream.dlq;

import static io.ledgerstream.dlq.Letters.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerstream.node.LedgerNode;
import io.ledgerstream.node.NodeSettings;
import io.ledgerstream.streams.PoisonRecordHandler;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.testing.TargetDirs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dead-letter tooling on the real broker, with a real command side dead-lettering real poison. */
class DeadLettersTest {

  private static LedgerNode node;
  private static String bootstrap;
  private static DeadLetters deadLetters;

  @BeforeAll
  static void startNode() {
    bootstrap = RealKafka.bootstrapServers();
    node = LedgerNode.start(NodeSettings.builder().bootstrapServers(bootstrap).schemaRegistryUrl("mock://dlq-tests-" + UUID.randomUUID()).autoRegisterSchemas(true)
        .dataDir(TargetDirs.fresh("dlq-node")).kafkaPort(0).registryPort(0).httpPort(0).partitions(NodeSettings.DEFAULT_PARTITIONS).replicationFactor(null).build());
    deadLetters = DeadLetters.open(node.clientProperties(), (short) -1);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void listsPoisonWithWhereItCameFromAndWhy() throws Exception {
    String key = unique("poison");
    String at = Letters.produce(bootstrap, Topics.ACCOUNT_COMMANDS, key, "not avro".getBytes(StandardCharsets.UTF_8),
        Map.of("trace-id", "t-1"));

    DeadLetter letter = Letters.awaitLetter(deadLetters, key, null);

    assertThat(letter.originTopic()).contains(Topics.ACCOUNT_COMMANDS);
    assertThat(letter.originPartition().orElseThrow() + "@" + letter.originOffset().orElseThrow()).isEqualTo(at);
    assertThat(letter.exception()).hasValueSatisfying(name -> assertThat(name).endsWith("AvroSerdeException"));
    assertThat(letter.message()).hasValueSatisfying(message -> assertThat(message).containsIgnoringCase("magic byte"));
    assertThat(text(letter.value())).isEqualTo("not avro");
    assertThat(letter.redrive()).isNull();
    assertThat(DeadLetters.whyNotRedrivable(letter)).isEmpty();
    DeadLetter shown = deadLetters.show(letter.position());
    assertThat(shown.header("trace-id")).contains("t-1");
    assertThat(shown.stackTrace()).hasValueSatisfying(trace -> assertThat(trace).contains("AvroSerdeException"));
  }

  @Test
  void redrivesTheOriginalRecordOnceWithALinkToTheLetter() throws Exception {
    String key = unique("redrive");
    Letters.produce(bootstrap, Topics.ACCOUNT_COMMANDS, key, "still not avro".getBytes(StandardCharsets.UTF_8),
        Map.of("trace-id", "t-2"));
    LetterPosition position = Letters.awaitLetter(deadLetters, key, null).position();

    List<Redrive> made = deadLetters.redrive(List.of(position), "test");

    assertThat(made).singleElement().satisfies(redrive -> {
      assertThat(redrive.letter()).isEqualTo(position.toString());
      assertThat(redrive.topic()).isEqualTo(Topics.ACCOUNT_COMMANDS);
      assertThat(redrive.by()).isEqualTo("test");
    });
    ConsumerRecord<byte[], byte[]> copy = Letters.recordAt(bootstrap, made.get(0).topic(), made.get(0).partition(),
        made.get(0).offset());
    assertThat(text(copy.key())).isEqualTo(key);
    assertThat(text(copy.value())).isEqualTo("still not avro");
    assertThat(headerNames(copy)).contains("trace-id", DeadLetters.REDRIVEN_FROM_HEADER)
        .noneMatch(name -> name.startsWith(DeadLetter.ERROR_HEADER_PREFIX));
    assertThat(text(copy.headers().lastHeader(DeadLetters.REDRIVEN_FROM_HEADER).value()))
        .isEqualTo("ledger.dlq/" + position);
    assertThat(deadLetters.show(position).redrive()).isEqualTo(made.get(0));
    // the copy is still poison, so the command side dead-letters it again, as a new letter linked to the first
    DeadLetter again = Letters.awaitLetter(deadLetters, key, "ledger.dlq/" + position);
    assertThat(again.position()).isNotEqualTo(position);
    assertThat(DeadLetters.whyNotRedrivable(again)).isEmpty();
  }

  @Test
  void refusesASecondRedriveAlsoAfterARestart() throws Exception {
    String key = unique("twice");
    Letters.produce(bootstrap, Topics.ACCOUNT_COMMANDS, key, "bad".getBytes(StandardCharsets.UTF_8), Map.of());
    LetterPosition position = Letters.awaitLetter(deadLetters, key, null).position();
    deadLetters.redrive(List.of(position), "first");

    assertThatThrownBy(() -> deadLetters.redrive(List.of(position), "second"))
        .isInstanceOfSatisfying(DeadLetterException.class, e ->
            assertThat(e.reason()).isEqualTo(DeadLetterException.Reason.ALREADY_REDRIVEN))
        .hasMessageContaining("by first");
    DeadLetters restarted = DeadLetters.open(node.clientProperties(), (short) -1);
    assertThatThrownBy(() -> restarted.redrive(List.of(position), "after restart"))
        .isInstanceOfSatisfying(DeadLetterException.class, e ->
            assertThat(e.reason()).isEqualTo(DeadLetterException.Reason.ALREADY_REDRIVEN));
    assertThat(Letters.recordsWithKey(bootstrap, Topics.ACCOUNT_COMMANDS, key)
        .stream().filter(record -> record.headers().lastHeader(DeadLetters.REDRIVEN_FROM_HEADER) != null))
        .hasSize(1);
  }

  @Test
  void concurrentRedrivesOfOneLetterLetExactlyOneThrough() throws Exception {
    String key = unique("race");
    Letters.produce(bootstrap, Topics.ACCOUNT_COMMANDS, key, "raced".getBytes(StandardCharsets.UTF_8), Map.of());
    LetterPosition position = Letters.awaitLetter(deadLetters, key, null).position();
    List<Callable<String>> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      DeadLetters instance = DeadLetters.open(node.clientProperties(), (short) -1);
      String name = "instance-" + i;
      instances.add(() -> {
        try {
          instance.redrive(List.of(position), name);
          return "redriven";
        } catch (DeadLetterException e) {
          return e.reason().name();
        }
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(instances.size());
    List<String> outcomes = new ArrayList<>();
    try {
      for (Future<String> outcome : pool.invokeAll(instances)) {
        outcomes.add(outcome.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes).containsOnlyOnce("redriven")
        .allMatch(outcome -> outcome.equals("redriven") || outcome.equals("ALREADY_REDRIVEN")
            || outcome.equals("CONFLICT"));
    assertThat(Letters.recordsWithKey(bootstrap, Topics.ACCOUNT_COMMANDS, key)
        .stream().filter(record -> record.headers().lastHeader(DeadLetters.REDRIVEN_FROM_HEADER) != null))
        .hasSize(1);
    assertThat(Letters.recordsWithKey(bootstrap, DeadLetters.REDRIVES_TOPIC, position.toString())).hasSize(1);
  }

  @Test
  void redrivesSeveralLettersTogetherOrNone() throws Exception {
    String first = unique("batch");
    String second = unique("batch");
    Letters.produce(bootstrap, Topics.ACCOUNT_COMMANDS, first, "one".getBytes(StandardCharsets.UTF_8), Map.of());
    Letters.produce(bootstrap, Topics.TRANSFER_COMMANDS, second, "two".getBytes(StandardCharsets.UTF_8), Map.of());
    LetterPosition one = Letters.awaitLetter(deadLetters, first, null).position();
    LetterPosition two = Letters.awaitLetter(deadLetters, second, null).position();
    LetterPosition foreign = Letters.deadLetter(bootstrap, Topics.ACCOUNT_EVENTS, unique("foreign"), "event bytes");

    assertThatThrownBy(() -> deadLetters.redrive(List.of(one, foreign), "test"))
        .isInstanceOfSatisfying(DeadLetterException.class, e ->
            assertThat(e.reason()).isEqualTo(DeadLetterException.Reason.NOT_REDRIVABLE))
        .hasMessageContaining(Topics.ACCOUNT_EVENTS);
    assertThat(deadLetters.show(one).redrive()).isNull();

    List<Redrive> made = deadLetters.redrive(List.of(one, two), "test");
    assertThat(made).extracting(Redrive::letter).containsExactly(one.toString(), two.toString());
    assertThat(made).extracting(Redrive::topic).containsExactly(Topics.ACCOUNT_COMMANDS, Topics.TRANSFER_COMMANDS);
  }

  @Test
  void refusesBadPositionsAndLettersThatAreNotThere() throws Exception {
    LetterPosition some = Letters.deadLetter(bootstrap, Topics.ACCOUNT_COMMANDS, unique("bad-input"), "x");
    assertReason(() -> LetterPosition.parse("0-12"), DeadLetterException.Reason.MALFORMED);
    assertReason(() -> LetterPosition.parse("@12"), DeadLetterException.Reason.MALFORMED);
    assertReason(() -> LetterPosition.parse("-1@12"), DeadLetterException.Reason.MALFORMED);
    assertReason(() -> deadLetters.show(new LetterPosition(999, 0)), DeadLetterException.Reason.NOT_FOUND);
    assertReason(() -> deadLetters.show(new LetterPosition(some.partition(), some.offset() + 1_000_000)),
        DeadLetterException.Reason.NOT_FOUND);
    assertReason(() -> deadLetters.redrive(List.of(), "test"), DeadLetterException.Reason.MALFORMED);
    assertReason(() -> deadLetters.redrive(List.of(some, some), "test"), DeadLetterException.Reason.MALFORMED);
    assertReason(() -> deadLetters.redrive(List.of(new LetterPosition(some.partition(), some.offset() + 1_000_000)),
        "test"), DeadLetterException.Reason.NOT_FOUND);
    assertReason(() -> deadLetters.list("nonsense", 10), DeadLetterException.Reason.MALFORMED);
    assertReason(() -> deadLetters.list(null, 0), DeadLetterException.Reason.MALFORMED);
  }

  @Test
  void pagesThroughEveryLetterNewestFirstWithoutRepeats() throws Exception {
    Set<LetterPosition> ours = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      ours.add(Letters.deadLetter(bootstrap, Topics.ACCOUNT_COMMANDS, unique("page"), "letter " + i));
    }
    List<DeadLetter> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      DeadLetters.Page page = deadLetters.list(cursor, 3);
      assertThat(page.letters()).hasSizeLessThanOrEqualTo(3);
      seen.addAll(page.letters());
      cursor = page.next();
      pages++;
    } while (cursor != null && pages < 1_000);

    List<LetterPosition> positions = seen.stream().map(DeadLetter::position).toList();
    assertThat(positions).doesNotHaveDuplicates().containsAll(ours);
    assertThat(seen).extracting(DeadLetter::timestamp).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
                                   DeadLetterException.Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(DeadLetterException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static List<String> headerNames(ConsumerRecord<byte[], byte[]> record) {
    List<String> names = new ArrayList<>();
    for (Header header : record.headers()) {
      names.add(header.key());
    }
    return names;
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
