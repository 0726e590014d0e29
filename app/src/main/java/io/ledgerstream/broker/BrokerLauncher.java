package io.ledgerstream.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.Kafka;
import kafka.tools.StorageTool;

/** Main class of the broker child JVM: formats storage when asked, runs Kafka, and exits when the parent JVM dies. */
public final class BrokerLauncher {

  private static final long HALT_AFTER_MS = 15_000;
  private static final AtomicBoolean stopping = new AtomicBoolean();

  private BrokerLauncher() {}

  /**
   * Arguments: parent pid, server.properties path, and when storage must be formatted first a cluster id and how
   * ({@code --standalone} for the node that holds the metadata quorum, {@code --no-initial-controllers} for a broker
   * beside a separate controller).
   */
  public static void main(String[] args) {
    long parentPid = Long.parseLong(args[0]);
    String config = args[1];
    watchParent(parentPid);
    if (args.length > 2) {
      String mode = args.length > 3 ? args[3] : "--standalone";
      String[] format = {"format", "--config", config, "--cluster-id", args[2], mode};
      int code = StorageTool.execute(format, System.out);
      if (code != 0) {
        System.exit(code);
      }
    }
    Kafka.main(new String[] {config});
  }

  // The parent holds our stdin pipe, which the OS closes when the parent dies, even by kill -9; the
  // pid watch is a backstop should some other process inherit the pipe's writing end.
  private static void watchParent(long parentPid) {
    Thread stdinWatch = new Thread(() -> {
      drain(System.in);
      parentDied();
    }, "parent-stdin-watch");
    stdinWatch.setDaemon(true);
    stdinWatch.start();
    ProcessHandle.of(parentPid).ifPresentOrElse(
        parent -> parent.onExit().thenRun(BrokerLauncher::parentDied),
        BrokerLauncher::parentDied);
  }

  private static void drain(InputStream in) {
    try {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // a broken pipe means the same as end of stream
    }
  }

  private static void parentDied() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    System.out.println("Parent process is gone; stopping the broker.");
    // System.exit runs Kafka's own shutdown hook (a clean shutdown keeps the next start fast);
    // the halt is the backstop should that hook hang.
    Thread halt = new Thread(() -> {
      try {
        Thread.sleep(HALT_AFTER_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(1);
    }, "parent-gone-halt");
    halt.setDaemon(true);
    halt.start();
    System.exit(0);
  }
}
