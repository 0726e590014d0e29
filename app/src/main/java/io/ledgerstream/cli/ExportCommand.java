package io.ledgerstream.cli;

import io.ledgerstream.Ledger;
import io.ledgerstream.lake.ExportListener;
import io.ledgerstream.lake.ExportProgress;
import io.ledgerstream.lake.LakeExportException;
import io.ledgerstream.lake.LakeExporter;
import io.ledgerstream.lake.LakeSettings;
import io.ledgerstream.privacy.KeyRing;
import io.ledgerstream.privacy.MasterKey;
import io.ledgerstream.privacy.PersonalData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Copies the event topics into the event lake, once up to the current end or continuously. */
@Command(name = "export", mixinStandardHelpOptions = true,
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:exported", "1:stopped by an event it cannot export or a lake it cannot write", "2:usage"},
    description = "Export every event to Avro files under <lake-dir>/<aggregateType>/date=YYYY-MM-DD/, "
        + "exactly once; a re-run continues where the last one stopped.")
final class ExportCommand implements Callable<Integer> {

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--lake-dir", defaultValue = "lake",
      description = "The lake's root directory (default: ${DEFAULT-VALUE}).")
  Path lakeDir;

  @ArgGroup(exclusive = true)
  Mode mode = new Mode();

  static final class Mode {
    @Option(names = "--until-caught-up", description = "Export up to the current end offsets, then exit (the default).")
    boolean untilCaughtUp;

    @Option(names = "--follow", description = "Keep exporting new events until stopped with Ctrl-C or SIGTERM.")
    boolean follow;
  }

  @Option(names = "--group-id", defaultValue = LakeSettings.DEFAULT_GROUP_ID,
      description = "Consumer group recording the export's offsets; one per lake directory "
          + "(default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--roll-records", defaultValue = "" + LakeSettings.DEFAULT_ROLL_RECORDS,
      description = "Complete a file after this many events (default: ${DEFAULT-VALUE}).")
  int rollRecords;

  @Option(names = "--roll-bytes", defaultValue = "" + LakeSettings.DEFAULT_ROLL_BYTES,
      description = "Complete a file once it has about this many bytes (default: ${DEFAULT-VALUE}).")
  long rollBytes;

  @Option(names = "--roll-age", defaultValue = "PT5M",
      description = "Complete a file once it has been open this long, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration rollAge;

  @Option(names = "--master-key-file", paramLabel = "FILE",
      description = "The instances' master key: with it, the holder of a forgotten owner is exported as erased "
          + "(holder null, erased true); without it, every holder is exported sealed as it is stored. The lake never "
          + "holds personal data in the clear either way.")
  Path masterKeyFile;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    LakeSettings settings;
    try {
      settings = new LakeSettings(lakeDir, groupId, rollRecords, rollBytes, rollAge);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    KeyRing keys = null;
    if (masterKeyFile != null) {
      try (Admin admin = Admin.create(connection.kafkaProperties())) {
        keys = KeyRing.open(admin, connection.kafkaProperties(), (short) -1, MasterKey.load(masterKeyFile));
      } catch (IllegalArgumentException | IllegalStateException e) {
        System.err.println("ledgerstream export: " + e.getMessage());
        return 2;
      }
      PersonalData.register(keys);
    }
    try {
      return export(settings);
    } finally {
      if (keys != null) {
        PersonalData.unregister(keys);
        keys.close();
      }
    }
  }

  private int export(LakeSettings settings) {
    ProgressBar bar = System.console() != null ? new ProgressBar(System.err) : null;
    LakeExporter exporter = new LakeExporter(connection.kafkaProperties(), connection.registry(),
        Ledger.AGGREGATE_TYPES, settings, bar != null ? bar : ExportListener.NONE);
    CountDownLatch finished = new CountDownLatch(1);
    if (mode.follow) {
      Runtime.getRuntime().addShutdownHook(
          new Thread(() -> stopAndAwait(exporter, finished), "ledgerstream-export-stop"));
    }
    long started = System.nanoTime();
    try {
      ExportProgress done = mode.follow ? exporter.follow() : exporter.exportUntilCaughtUp();
      if (bar != null) {
        bar.finish(done);
      }
      System.out.printf("Exported %,d events in %,d files to %s in %.1f s%n", done.events(), done.files(),
          lakeDir.toAbsolutePath(), (System.nanoTime() - started) / 1e9);
      return 0;
    } catch (LakeExportException e) {
      System.err.println((bar != null ? System.lineSeparator() : "") + "Export stopped: " + e.getMessage());
      return 1;
    } finally {
      finished.countDown();
    }
  }

  /** On Ctrl-C or SIGTERM the export publishes its open files and reports before the JVM exits. */
  private static void stopAndAwait(LakeExporter exporter, CountDownLatch finished) {
    exporter.stop();
    try {
      finished.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
