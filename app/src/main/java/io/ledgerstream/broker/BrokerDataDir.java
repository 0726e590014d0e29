package io.ledgerstream.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/** The files of one embedded broker: its generated config, its Kafka log directory and its own log. */
final class BrokerDataDir {

  private static final int EXCERPT_LINES = 30;
  // an entry's first line as broker-logback.xml writes it; stack traces and continuations do not match
  private static final Pattern LOG_ENTRY = Pattern.compile("\\d{4}-\\d{2}-\\d{2} ");

  private final Path root;

  BrokerDataDir(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  Path kafkaLogDir() {
    return root.resolve("logs");
  }

  Path logFile() {
    return root.resolve("broker.log");
  }

  /** The cluster id written when the storage was formatted; empty if it never was. */
  Optional<String> clusterId() throws IOException {
    Path meta = kafkaLogDir().resolve("meta.properties");
    if (!Files.exists(meta)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      properties.load(in);
    }
    return Optional.ofNullable(properties.getProperty("cluster.id"));
  }

  Path writeServerProperties(Map<String, String> settings) throws IOException {
    Files.createDirectories(kafkaLogDir());
    StringBuilder text = new StringBuilder("# Written at every start of the embedded broker; edits are lost.\n");
    settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    Path file = root.resolve("server.properties");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** Keeps the previous run's log as broker.log.1, so the log never grows past two runs. */
  void rotateLog() throws IOException {
    if (Files.exists(logFile())) {
      Files.move(logFile(), root.resolve("broker.log.1"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The ERROR entries of the log without their stack frames, else its last lines. */
  String logExcerpt() {
    List<String> lines;
    try {
      lines = new String(Files.readAllBytes(logFile()), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return "Its log " + logFile() + " is unreadable: " + e;
    }
    // the cause comes first; the tail of a failed start is mostly the shutdown that followed
    List<String> errors = new ArrayList<>();
    boolean inError = false;
    for (String line : lines) {
      if (LOG_ENTRY.matcher(line).lookingAt()) {
        inError = line.contains(" ERROR ");
      }
      if (inError && !line.startsWith("\t")) {
        errors.add(line);
      }
    }
    if (errors.isEmpty()) {
      List<String> tail = lines.subList(Math.max(0, lines.size() - EXCERPT_LINES), lines.size());
      return "Last lines of " + logFile() + ":\n" + String.join("\n", tail);
    }
    List<String> head = errors.subList(0, Math.min(errors.size(), EXCERPT_LINES));
    return "Errors in " + logFile() + ":\n" + String.join("\n", head);
  }
}
