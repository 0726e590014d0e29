package io.ledgerstream.faults;

import io.ledgerstream.cli.Main;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Main class of an instance the fault tests run in a JVM of its own: the CLI's {@code serve}, plus a watch on stdin,
 * a pipe the test JVM holds, so the instance stops when the test JVM dies, even by SIGKILL, instead of lingering.
 */
public final class ServeChild {

  private static final long HALT_AFTER_MS = 15_000;

  private ServeChild() {
  }

  public static void main(String[] args) {
    Thread watch = new Thread(ServeChild::exitWhenParentGoes, "parent-stdin-watch");
    watch.setDaemon(true);
    watch.start();
    Main.main(args);
  }

  private static void exitWhenParentGoes() {
    try {
      System.in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // a broken pipe means the same as end of stream
    }
    System.out.println("The test JVM is gone; stopping.");
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
