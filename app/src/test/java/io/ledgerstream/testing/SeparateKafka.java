package io.ledgerstream.testing;

import io.ledgerstream.broker.EmbeddedKafkaBroker;

/**
 * A second embedded broker, one per test JVM, for tests of what reads whole logs (projection rebuilds, shadow
 * replays, diffs): on {@link RealKafka}'s broker they would also read every other test's records, encoded with other
 * registries and produced under other settings. Stopped when the JVM exits.
 */
public final class SeparateKafka {

  private static EmbeddedKafkaBroker broker;

  private SeparateKafka() {}

  public static synchronized String bootstrapServers() {
    if (broker == null) {
      broker = new EmbeddedKafkaBroker(TargetDirs.fresh("separate-kafka-" + ProcessHandle.current().pid()), 0, 0)
          .start();
    }
    return broker.bootstrapServers();
  }
}
