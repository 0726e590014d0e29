package io.ledgerstream.lake;

import io.ledgerstream.Ledger;
import io.ledgerstream.registry.HttpSchemaRegistryClient;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Runs the lake export in its own JVM with five-event files and a pause between each file's rename and its commit,
 * the window a crash is most dangerous in, so a test can kill it there. Arguments: bootstrap servers, registry URL,
 * lake directory, group id.
 */
public final class SlowLakeExport {

  private SlowLakeExport() {
  }

  public static void main(String[] args) {
    LakeSettings settings = new LakeSettings(Path.of(args[2]), args[3], 5, LakeSettings.DEFAULT_ROLL_BYTES,
        LakeSettings.DEFAULT_ROLL_AGE);
    ExportListener pauseBeforeEachCommit = new ExportListener() {
      @Override
      public void filePublished(Path file, int events) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    new LakeExporter(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, args[0]),
        HttpSchemaRegistryClient.forUrl(args[1]), Ledger.AGGREGATE_TYPES, settings, pauseBeforeEachCommit)
        .exportUntilCaughtUp();
  }
}
