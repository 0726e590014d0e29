package io.ledgerstream.cli;

import io.ledgerstream.privacy.KeyRing;
import io.ledgerstream.privacy.MasterKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Master key handling: make a new master key, and rotate to it by wrapping every data key again. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Master keys of personal data: make one, or rotate to a new one.",
    subcommands = {KeysCommand.NewMaster.class, KeysCommand.Rewrap.class})
final class KeysCommand implements Runnable {

  @Override
  public void run() {
    System.err.println("ledgerstream keys: give new-master or rewrap (see keys --help)");
  }

  /** Writes a new random master key to a file that must not exist yet, readable by its owner only. */
  @Command(name = "new-master", mixinStandardHelpOptions = true,
      description = "Write a new random master key (base64 AES-256) to FILE, readable by its owner only (0600).")
  static final class NewMaster implements Callable<Integer> {

    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      try {
        MasterKey.create(file);
        System.out.println("Master key " + MasterKey.load(file).id() + " written to " + file);
        return 0;
      } catch (IOException | IllegalArgumentException e) {
        System.err.println("ledgerstream keys new-master: cannot write " + file + ": " + e.getMessage());
        return 2;
      }
    }
  }

  /** Re-wraps every data key the old master wrapped with the new one, in place in the keys topic. */
  @Command(name = "rewrap", mixinStandardHelpOptions = true,
      description = "Wrap every data key that --old-master-key-file wrapped again with --master-key-file, rewriting "
          + "its record in " + KeyRing.TOPIC + ". Stop every instance first (one still on the old key cannot open a "
          + "rewrapped key, nor should it make new keys under the old one), then start them with the new key.")
  static final class Rewrap implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--old-master-key-file", required = true, paramLabel = "FILE")
    Path oldMaster;

    @Option(names = "--master-key-file", required = true, paramLabel = "FILE")
    Path newMaster;

    @Option(names = "--replication-factor", defaultValue = "-1",
        description = "Of " + KeyRing.TOPIC + " if it must be made (default: the broker's).")
    short replicationFactor;

    @Override
    public Integer call() {
      MasterKey from;
      MasterKey to;
      try {
        from = MasterKey.load(oldMaster);
        to = MasterKey.load(newMaster);
      } catch (IllegalArgumentException e) {
        System.err.println("ledgerstream keys rewrap: " + e.getMessage());
        return 2;
      }
      try (Admin admin = Admin.create(connection.kafkaProperties());
           KeyRing keys = KeyRing.open(admin, connection.kafkaProperties(), replicationFactor, to)) {
        int count = keys.rewrap(from);
        System.out.println("Rewrapped " + count + " data key(s) from master key " + from.id() + " to " + to.id());
        return 0;
      } catch (IllegalStateException e) {
        System.err.println("ledgerstream keys rewrap: " + e.getMessage());
        return 1;
      }
    }
  }
}
