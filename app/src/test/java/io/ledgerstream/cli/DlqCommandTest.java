package io.ledgerstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerstream.dlq.DeadLetters;
import io.ledgerstream.dlq.LetterPosition;
import io.ledgerstream.dlq.Letters;
import io.ledgerstream.streams.Topics;
import io.ledgerstream.testing.RealKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code dlq list|show|redrive} as an operator runs them, against the real broker. */
class DlqCommandTest {

  private static String bootstrap;

  @BeforeAll
  static void broker() {
    bootstrap = RealKafka.bootstrapServers();
  }

  /** What one run printed and how it ended. */
  record Run(int exitCode, String out, String err) {
  }

  @Test
  void listsAndShowsALetter() throws Exception {
    String key = "cli-" + UUID.randomUUID();
    LetterPosition position = Letters.deadLetter(bootstrap, Topics.ACCOUNT_COMMANDS, key, "cli bytes");

    Run list = run("dlq", "list", "--bootstrap-servers", bootstrap, "--limit", "500");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("POSITION", position.toString(), Topics.ACCOUNT_COMMANDS + "/0@7",
        "SerializationException: made up by a test");

    Run json = run("dlq", "list", "--bootstrap-servers", bootstrap, "--limit", "500", "--json");
    JsonNode letters = new ObjectMapper().readTree(json.out()).path("letters");
    assertThat(letters.findValuesAsText("key")).contains(key);

    Run show = run("dlq", "show", position.toString(), "--bootstrap-servers", bootstrap);
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out()).contains("dead letter  " + position, "key          " + key, "value        cli bytes",
        "re-drive     not yet", "__streams.errors.topic: " + Topics.ACCOUNT_COMMANDS);
  }

  @Test
  void redrivesOnceThenRefusesWithExitCode1() throws Exception {
    String key = "cli-" + UUID.randomUUID();
    LetterPosition position = Letters.deadLetter(bootstrap, Topics.ACCOUNT_COMMANDS, key, "redrive me");

    Run first = run("dlq", "redrive", position.toString(), "--bootstrap-servers", bootstrap);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("re-drove " + position + " to " + Topics.ACCOUNT_COMMANDS + "/");
    String copy = first.out().strip().substring(first.out().lastIndexOf('/') + 1);
    ConsumerRecord<byte[], byte[]> record = Letters.recordAt(bootstrap, Topics.ACCOUNT_COMMANDS,
        Integer.parseInt(copy.split("@")[0]), Long.parseLong(copy.split("@")[1]));
    assertThat(Letters.text(record.key())).isEqualTo(key);
    assertThat(Letters.text(record.headers().lastHeader(DeadLetters.REDRIVEN_FROM_HEADER).value()))
        .isEqualTo("ledger.dlq/" + position);

    Run second = run("dlq", "redrive", position.toString(), "--bootstrap-servers", bootstrap);
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.err()).contains("was re-driven at", "by cli:", "at most once");
    Run shown = run("dlq", "show", position.toString(), "--bootstrap-servers", bootstrap);
    assertThat(shown.out()).contains("re-drive     re-driven at");
  }

  @Test
  void answersBadInputWithUsageOrNotFound() {
    Run malformed = run("dlq", "show", "12", "--bootstrap-servers", bootstrap);
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).contains("<partition>@<offset>");
    Run missing = run("dlq", "redrive", "0@999999999", "--bootstrap-servers", bootstrap);
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no dead letter at 0@999999999");
    Run nothing = run("dlq", "redrive", "--bootstrap-servers", bootstrap);
    assertThat(nothing.exitCode()).isEqualTo(2);
  }

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
