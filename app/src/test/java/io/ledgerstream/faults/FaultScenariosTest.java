package io.ledgerstream.faults;

import static org.assertj.core.api.Assertions.assertThat;
import io.ledgerstream.account.AccountType;

import io.ledgerstream.avro.CommandResult;
import io.ledgerstream.client.CommandFactory;
import io.ledgerstream.client.CommandSender;
import io.ledgerstream.testing.RegistryOutage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults under load, each scenario ending with the {@link LedgerVerifier} over everything it sent, modelled on Kafka's
 * exactly-once system test: instances killed with SIGKILL and restarted, the broker killed with SIGKILL and restarted,
 * an instance frozen with SIGSTOP past its session timeout and thawed, poison amid valid commands, and a hostile
 * client (see {@link HostileMix}) beside the honest load while an instance is killed. Durations and
 * cycles come from {@link FaultSettings}; the defaults keep the whole class to a few minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultScenariosTest {

  private static final Logger log = LoggerFactory.getLogger(FaultScenariosTest.class);

  private final FaultSettings settings = FaultSettings.fromSystemProperties();
  private FaultCluster cluster;

  @BeforeAll
  void startCluster() {
    log.info("Fault scenarios with {}", settings);
    cluster = FaultCluster.start(settings);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void poisonAmidValidCommandsIsDeadLetteredExactlyOnceAndNothingElseIs() {
    String run = FaultCluster.newRun("poison");
    long started = System.nanoTime();
    try (LedgerLoad load = cluster.startLoad(run)) {
      long end = started + Duration.ofSeconds(settings.seconds()).toNanos();
      while (System.nanoTime() < end) {
        FaultCluster.sleep(1000);
        cluster.poison().kinds().forEach(load::inject);
      }
      load.stop();
      verify(run, load, started);
    }
  }

  @Test
  @Order(2)
  void aHostileClientBesideHonestLoadAndAKilledInstanceIsRefusedEveryTimeAndChangesNothing() {
    String run = FaultCluster.newRun("hostile");
    long started = System.nanoTime();
    try (LedgerLoad load = cluster.startLoad(run);
         HostileLoad hostile = cluster.startHostile(run, load, Duration.ofMillis(500))) {
      FaultCluster.sleep(pause());
      AppInstance victim = cluster.instances.get(0);
      victim.kill();
      FaultCluster.sleep(1000);
      victim.start().awaitReady(FaultCluster.READY_TIMEOUT);
      keepLoadUntilEnd(started);
      hostile.stop();
      load.stop();
      LedgerVerifier.Verification verification = cluster.verify(run, load.injected(), hostile.sent());
      log.info("Run {}: {} s, {} records sent ({} failed), {} poison, {} hostile ({} failed); mix {}; hostile mix {}\n{}",
          run, Duration.ofNanos(System.nanoTime() - started).toSeconds(), load.sent(), load.failed(),
          load.injected().size(), hostile.sent().size(), hostile.failed(), load.mix(), hostile.mix(),
          verification.report(40));
      assertThat(hostile.sent()).isNotEmpty();
      assertThat(verification.violations()).as(verification.report(40)).isEmpty();
    }
  }

  @Test
  @Order(3)
  void killingAnInstanceWithSigkillAgainAndAgainLosesAndDuplicatesNothing() {
    String run = FaultCluster.newRun("kill");
    long started = System.nanoTime();
    try (LedgerLoad load = cluster.startLoad(run)) {
      for (int cycle = 0; cycle < settings.cycles(); cycle++) {
        FaultCluster.sleep(pause());
        AppInstance victim = cluster.instances.get(cycle % 2);
        victim.kill();
        FaultCluster.sleep(1000);
        victim.start().awaitReady(FaultCluster.READY_TIMEOUT);
      }
      keepLoadUntilEnd(started);
      load.stop();
      verify(run, load, started);
    }
  }

  @Test
  @Order(4)
  void aFrozenInstanceIsFencedWhileTheOtherTakesOverAndWritesNoDuplicatesWhenThawed() {
    String run = FaultCluster.newRun("freeze");
    long started = System.nanoTime();
    try (LedgerLoad load = cluster.startLoad(run)) {
      for (int cycle = 0; cycle < Math.max(1, settings.cycles() / 2); cycle++) {
        FaultCluster.sleep(pause());
        freezeAndThaw(cluster.instances.get(1 - cycle % 2), run + "-" + cycle);
        cluster.awaitReady();
      }
      keepLoadUntilEnd(started);
      load.stop();
      verify(run, load, started);
    }
  }

  @Test
  @Order(5)
  void killingTheBrokerWithSigkillAndRestartingItLosesAndDuplicatesNothing() {
    String run = FaultCluster.newRun("broker");
    long started = System.nanoTime();
    try (LedgerLoad load = cluster.startLoad(run)) {
      for (int cycle = 0; cycle < settings.cycles(); cycle++) {
        FaultCluster.sleep(pause());
        cluster.broker.kill();
        log.info("Killed the broker with SIGKILL (cycle {} of {})", cycle + 1, settings.cycles());
        FaultCluster.sleep(1000);
        cluster.broker.start();
        cluster.awaitReady();
      }
      keepLoadUntilEnd(started);
      load.stop();
      verify(run, load, started);
    }
  }

  @Test
  @Order(6)
  void aRegistryOutageIsWaitedOutWithoutDeadLetteringAValidCommandOrLosingOne() {
    String run = FaultCluster.newRun("registry");
    long started = System.nanoTime();
    try (LedgerLoad load = cluster.startLoad(run)) {
      FaultCluster.sleep(pause());
      cluster.registryPath.set(RegistryOutage.Mode.REFUSE);
      try {
        // poison under a schema id no instance has seen: to tell it from a valid command they must ask the registry,
        // which is not there, so they retry, and every valid command behind it waits rather than being lost
        load.inject(cluster.poison()::neverSeenSchemaId);
        FaultCluster.sleep(3000);
        cluster.registryPath.set(RegistryOutage.Mode.UNAVAILABLE);
        load.inject(cluster.poison()::neverSeenSchemaId);
        FaultCluster.sleep(3000);
      } finally {
        cluster.registryPath.set(RegistryOutage.Mode.PASS);
      }
      log.info("Run {}: the registry turned {} requests away", run, cluster.registryPath.turnedAway());
      keepLoadUntilEnd(started);
      load.stop();
      verify(run, load, started);
      assertThat(cluster.registryPath.turnedAway()).as("requests the outage turned away").isPositive();
    }
  }

  /**
   * Freezes the instance past its session timeout, checks that every partition is served meanwhile (the other instance
   * took over), and thaws it: it carries on believing it owns its tasks, and must find itself fenced.
   */
  private void freezeAndThaw(AppInstance instance, String probeKeys) {
    long frozenAt = System.nanoTime();
    instance.freeze();
    try {
      FaultCluster.sleep(FaultCluster.SESSION_TIMEOUT.plusSeconds(1));
      assertThat(probeEveryPartition(probeKeys)).as("partitions that answered while %s was frozen", instance.name())
          .allSatisfy((partition, answered) -> assertThat(answered).as("partition %s", partition).isTrue());
      long frozenFor = Duration.ofNanos(System.nanoTime() - frozenAt).toMillis();
      FaultCluster.sleep(Math.max(0, settings.freeze().toMillis() - frozenFor));
    } finally {
      instance.thaw();
    }
    assertThat(instance.isAlive()).as("%s after SIGCONT", instance.name()).isTrue();
  }

  private void verify(String run, LedgerLoad load, long started) {
    LedgerVerifier.Verification verification = cluster.verify(run, load.injected());
    log.info("Run {}: {} s, {} records sent ({} failed), {} poison; mix {}\n{}", run,
        Duration.ofNanos(System.nanoTime() - started).toSeconds(), load.sent(), load.failed(), load.injected().size(),
        load.mix(), verification.report(40));
    assertThat(verification.violations()).as(verification.report(40)).isEmpty();
  }

  /** The time between two faults: the run's seconds spread over its cycles, but a few seconds at least. */
  private long pause() {
    return Math.max(3000, settings.seconds() * 1000L / Math.max(1, settings.cycles()) / 2);
  }

  private void keepLoadUntilEnd(long started) {
    long left = Duration.ofSeconds(settings.seconds()).toNanos() - (System.nanoTime() - started);
    if (left > 0) {
      FaultCluster.sleep(Duration.ofNanos(left));
    }
  }

  /** Opens one account on each partition of the account commands and says which got a result in time. */
  private Map<Integer, Boolean> probeEveryPartition(String keyPrefix) {
    Map<Integer, Boolean> answered = new HashMap<>();
    try (CommandSender sender = new CommandSender(cluster.clientProperties(), cluster.topics)) {
      for (int i = 0; answered.size() < settings.partitions(); i++) {
        String account = keyPrefix + "-probe" + i;
        int partition = Utils.toPositive(Utils.murmur2(account.getBytes(StandardCharsets.UTF_8))) % settings.partitions();
        if (answered.containsKey(partition)) {
          continue;
        }
        SpecificRecord open = CommandFactory.envelope(AccountType.TYPE, "OpenAccount",
            Map.of("owner", "probe", "currency", "EUR"),
            CommandFactory.metadata(null, null, null, "faults"));
        String commandId = ((io.ledgerstream.avro.AccountCommand) open).getMetadata().getCommandId();
        Optional<CommandResult> result = sender.sendAndAwait("account", account, open, commandId, Duration.ofSeconds(30));
        answered.put(partition, result.isPresent());
      }
    }
    return answered;
  }
}
