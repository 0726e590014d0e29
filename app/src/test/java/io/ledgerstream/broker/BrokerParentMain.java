package io.ledgerstream.broker;

import java.nio.file.Path;

/** A JVM for tests to kill: starts an embedded broker on free ports, prints the broker's pid and waits. */
public final class BrokerParentMain {

  static final String PID_PREFIX = "broker-pid=";

  private BrokerParentMain() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), 0, 0).start();
    System.out.println(PID_PREFIX + broker.pid());
    Thread.currentThread().join();
  }
}
