package io.ledgerstream.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ledgerstream.cli.Main;
import io.ledgerstream.testing.TargetDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An export killed with SIGKILL midway, in its own JVM, and then run again loses and repeats no event. */
class LakeExportCrashTest {

  private final LakeKafka kafka = LakeKafka.get();

  @Test
  void aKilledExportRerunExportsEveryEventExactlyOnce() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> sent = new ArrayList<>();
    for (int account = 0; account < 4; account++) {
      sent.addAll(kafka.sendAccountEvents("crash-" + run + "-" + account, 100, Instant.now()));
    }
    Path lake = TargetDirs.fresh("lake-crash");
    String group = "lake-crash-" + run;
    Path log = lake.resolveSibling("lake-crash-export.log");

    Process export = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
        SlowLakeExport.class.getName(), kafka.bootstrapServers, kafka.registryUrl, lake.toString(), group)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> !export.isAlive() || LakeContents.read(lake).files().size() >= 10);
      assertThat(export.isAlive()).as("export still running when killed; its log: %s", log).isTrue();
      export.destroyForcibly();
      assertThat(export.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      export.destroyForcibly();
    }
    List<String> killedAt = LakeContents.read(lake).eventIds();
    assertThat(killedAt).doesNotHaveDuplicates().hasSizeLessThan(kafka.allEventIds().size());

    int exitCode = Main.run("export", "--bootstrap-servers", kafka.bootstrapServers,
        "--schema-registry-url", kafka.registryUrl, "--lake-dir", lake.toString(), "--group-id", group,
        "--roll-records", "5");

    assertThat(exitCode).isZero();
    LakeContents contents = LakeContents.read(lake);
    assertThat(contents.others()).as("temporary files").isEmpty();
    assertThat(contents.eventIds()).containsExactlyInAnyOrderElementsOf(kafka.allEventIds()).containsAll(sent);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
