package io.ledgerstream.faults;

import java.time.Duration;

/**
 * How long and how hard the fault scenarios run: short by default so they fit in {@code mvn verify}, longer by hand,
 * e.g. {@code mvn -pl app test -Dtest=FaultScenariosTest -Dfaults.cycles=20 -Dfaults.seconds=120}.
 *
 * @param seconds how long each scenario sends load (at least as long as its faults take)
 * @param cycles how many times a scenario kills an instance or the broker
 * @param rate commands per second
 * @param poisonEvery one poison record after this many commands
 * @param freeze how long an instance stays frozen by SIGSTOP (beyond its session timeout)
 * @param quiet how long to wait, after the load, for every command to be answered and every transfer to finish
 * @param partitions partitions of the ledger's topics
 */
record FaultSettings(int seconds, int cycles, double rate, int poisonEvery, Duration freeze, Duration quiet,
                     int partitions) {

  static FaultSettings fromSystemProperties() {
    return new FaultSettings(
        Integer.getInteger("faults.seconds", 12),
        Integer.getInteger("faults.cycles", 2),
        Double.parseDouble(System.getProperty("faults.rate", "50")),
        Integer.getInteger("faults.poisonEvery", 100),
        Duration.ofSeconds(Integer.getInteger("faults.freezeSeconds", 14)),
        Duration.ofSeconds(Integer.getInteger("faults.quietSeconds", 120)),
        Integer.getInteger("faults.partitions", 4));
  }
}
