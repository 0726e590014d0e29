package io.ledgerstream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerstream.dlq.DeadLetter;
import io.ledgerstream.dlq.DeadLetterException;
import io.ledgerstream.dlq.DeadLetterJson;
import io.ledgerstream.dlq.DeadLetters;
import io.ledgerstream.dlq.LetterPosition;
import io.ledgerstream.dlq.Redrive;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dlq list|show|redrive}: the dead-letter topic for operators, straight from Kafka. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = "Inspect the dead letters in ledger.dlq and re-drive them to the topic they came from, each at most "
        + "once.",
    subcommands = {DlqCommand.ListLetters.class, DlqCommand.ShowLetter.class, DlqCommand.RedriveLetters.class})
final class DlqCommand implements Runnable {

  static final String EXIT_CODES = "Exit codes:%n";
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * Runs one operation, turning a refusal into its message on stderr and an exit code. Informational logs are off,
   * since they would go to stdout between the results, and {@code --json} must print JSON only.
   */
  static int attempt(Callable<Integer> operation) throws Exception {
    Logger logs = (Logger) LoggerFactory.getLogger("io.ledgerstream");
    Level level = logs.getLevel();
    logs.setLevel(Level.WARN);
    try {
      return operation.call();
    } catch (DeadLetterException e) {
      System.err.println(e.getMessage());
      return switch (e.reason()) {
        case MALFORMED -> 2;
        case UNAVAILABLE -> 3;
        default -> 1;
      };
    } finally {
      logs.setLevel(level);
    }
  }

  static void printJson(Object value) throws Exception {
    System.out.println(JSON.writeValueAsString(value));
  }

  static String describe(Redrive redrive) {
    return "re-driven at " + TIME.format(redrive.redrivenAt()) + " by " + redrive.by() + " to " + redrive.copy();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The dead letters, newest first.",
      exitCodeListHeading = EXIT_CODES, exitCodeList = {"0:listed", "2:usage", "3:Kafka did not answer"})
  static final class ListLetters implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--limit", defaultValue = "" + DeadLetters.DEFAULT_PAGE,
        description = "At most this many letters (default: ${DEFAULT-VALUE}, at most " + DeadLetters.MAX_PAGE + ").")
    int limit;

    @Option(names = "--before", paramLabel = "CURSOR", description = "Continue after a page: the cursor it printed.")
    String before;

    @Option(names = "--json", description = "Print the page as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return attempt(() -> {
        DeadLetters.Page page = DeadLetters.open(connection.kafkaProperties(), (short) -1).list(before, limit);
        if (json) {
          printJson(Map.of("letters", page.letters().stream().map(DeadLetterJson::summary).toList(),
              "next", page.next() == null ? "" : page.next()));
          return 0;
        }
        print(page, System.out);
        return 0;
      });
    }

    static void print(DeadLetters.Page page, PrintStream out) {
      if (page.letters().isEmpty()) {
        out.println("no dead letters");
        return;
      }
      out.printf("%-10s %-20s %-34s %-16s %s%n", "POSITION", "WHEN", "FROM", "KEY", "WHY");
      for (DeadLetter letter : page.letters()) {
        String from = letter.originTopic().orElse("?") + "/" + letter.originPartition().orElse("?") + "@"
            + letter.originOffset().orElse("?");
        String key = letter.key() == null ? "-" : new String(letter.key(), StandardCharsets.UTF_8);
        String why = letter.exception().map(name -> name.substring(name.lastIndexOf('.') + 1)).orElse("?")
            + ": " + letter.message().orElse("");
        out.printf("%-10s %-20s %-34s %-16s %s%n", letter.position(), TIME.format(letter.timestamp()), from,
            shorten(key, 16), shorten(why, 72));
        if (letter.redrive() != null) {
          out.printf("%-10s %s%n", "", describe(letter.redrive()));
        }
      }
      if (page.next() != null) {
        out.printf("older letters: dlq list --before %s%n", page.next());
      }
    }

    private static String shorten(String text, int width) {
      String line = text.replaceAll("\\s+", " ");
      return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One dead letter: where it came from, why, every header, its key and value, the stack trace.",
      exitCodeListHeading = EXIT_CODES,
      exitCodeList = {"0:shown", "1:no such letter", "2:usage", "3:Kafka did not answer"})
  static final class ShowLetter implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "PARTITION@OFFSET", description = "The letter, e.g. 0@42.")
    String position;

    @Option(names = "--json", description = "Print the letter as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return attempt(() -> {
        LetterPosition at = LetterPosition.parse(position);
        DeadLetter letter = DeadLetters.open(connection.kafkaProperties(), (short) -1).show(at);
        if (json) {
          printJson(DeadLetterJson.detail(letter));
        } else {
          print(letter, System.out);
        }
        return 0;
      });
    }

    @SuppressWarnings("unchecked")
    static void print(DeadLetter letter, PrintStream out) {
      Map<String, Object> detail = DeadLetterJson.detail(letter);
      out.printf("dead letter  %s (%s)%n", letter.position(), TIME.format(letter.timestamp()));
      out.printf("from         %s/%s@%s%n", letter.originTopic().orElse("?"), letter.originPartition().orElse("?"),
          letter.originOffset().orElse("?"));
      out.printf("exception    %s%n", letter.exception().orElse("?"));
      out.printf("message      %s%n", letter.message().orElse(""));
      out.printf("key          %s%n", detail.get("key") != null ? detail.get("key") : bytes(detail.get("keyBytes")));
      out.printf("value        %s%n", bytes(detail.get("value")));
      out.printf("re-drive     %s%n", letter.redrive() != null ? describe(letter.redrive())
          : DeadLetters.whyNotRedrivable(letter).map(why -> "not possible: " + why).orElse("not yet"));
      out.println("headers");
      for (Map<String, Object> header : (List<Map<String, Object>>) detail.get("headers")) {
        out.printf("  %s: %s%n", header.get("name"), header.containsKey("text") ? header.get("text")
            : header.get("base64") != null ? "base64:" + header.get("base64") : "(null)");
      }
      letter.stackTrace().ifPresent(trace -> out.printf("stack trace%n%s%n", trace.strip()));
    }

    @SuppressWarnings("unchecked")
    private static String bytes(Object json) {
      if (json == null) {
        return "(null)";
      }
      Map<String, Object> bytes = (Map<String, Object>) json;
      return bytes.containsKey("text") ? (String) bytes.get("text")
          : bytes.get("size") + " bytes, hex " + bytes.get("hex");
    }
  }

  @Command(name = "redrive", mixinStandardHelpOptions = true,
      description = "Produce the letters' original key, value and headers to the topic they came from, with a "
          + DeadLetters.REDRIVEN_FROM_HEADER + " header naming the letter: all of them in one transaction, or none. "
          + "A letter is re-driven at most once.",
      exitCodeListHeading = EXIT_CODES,
      exitCodeList = {"0:re-driven", "1:refused (no such letter, re-driven before, or from a topic that takes none); "
          + "nothing was re-driven", "2:usage", "3:Kafka did not answer"})
  static final class RedriveLetters implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "PARTITION@OFFSET", arity = "1..*", description = "The letters, e.g. 0@42 3@7.")
    List<String> positions;

    @Override
    public Integer call() throws Exception {
      return attempt(() -> {
        List<LetterPosition> letters = positions.stream().map(LetterPosition::parse).toList();
        List<Redrive> made = DeadLetters.open(connection.kafkaProperties(), (short) -1)
            .redrive(letters, "cli:" + System.getProperty("user.name", "unknown"));
        made.forEach(redrive -> System.out.printf("re-drove %s to %s%n", redrive.letter(), redrive.copy()));
        return 0;
      });
    }
  }
}
