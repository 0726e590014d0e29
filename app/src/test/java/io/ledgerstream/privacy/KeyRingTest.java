package io.ledgerstream.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ledgerstream.domain.Sealed;
import io.ledgerstream.testing.RealKafka;
import io.ledgerstream.testing.TargetDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyRingTest {

  private static final byte[] SECRET = "Zebulon Quartermaine".getBytes(StandardCharsets.UTF_8);
  private static Map<String, Object> client;
  private static MasterKey master;
  private static KeyRing one;
  private static KeyRing two;

  @BeforeAll
  static void open() {
    client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, RealKafka.bootstrapServers());
    master = MasterKey.loadOrCreate(TargetDirs.fresh("key-ring").resolve(MasterKey.DEFAULT_FILE));
    one = ring(master);
    two = ring(master);
  }

  @AfterAll
  static void close() {
    one.close();
    two.close();
  }

  private static KeyRing ring(MasterKey key) {
    try (Admin admin = Admin.create(client)) {
      return KeyRing.open(admin, client, (short) 1, key);
    }
  }

  @Test
  void opensWhatItSealedAndTheCiphertextHoldsNoClearText() {
    String owner = owner();
    Sealed sealed = one.seal(owner, "holder", SECRET);
    assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("Zebulon");
    assertThat(one.open(owner, "holder", sealed)).hasValueSatisfying(plain -> assertThat(plain).isEqualTo(SECRET));
    assertThat(two.open(owner, "holder", sealed)).hasValueSatisfying(plain -> assertThat(plain).isEqualTo(SECRET));
  }

  @Test
  void aValueDoesNotOpenAsAnotherOwnersOrAnotherField() {
    String owner = owner();
    String other = owner();
    Sealed sealed = one.seal(owner, "holder", SECRET);
    Sealed othersKeyId = one.seal(other, "holder", SECRET);
    assertThat(one.open(owner, "name", sealed)).isEmpty();
    assertThat(one.open(other, "holder", new Sealed(othersKeyId.keyId(), sealed.ciphertext()))).isEmpty();
  }

  @Test
  void twoInstancesMakingKeysForOneOwnerAtOnceEachOpenTheOthersValues() {
    String owner = owner();
    CompletableFuture<Sealed> byOne = CompletableFuture.supplyAsync(() -> one.seal(owner, "holder", SECRET));
    CompletableFuture<Sealed> byTwo = CompletableFuture.supplyAsync(() -> two.seal(owner, "holder", SECRET));
    for (Sealed sealed : List.of(byOne.join(), byTwo.join())) {
      assertThat(one.open(owner, "holder", sealed)).isPresent();
      assertThat(two.open(owner, "holder", sealed)).isPresent();
    }
  }

  @Test
  void forgettingDestroysEveryKeyOfTheOwnerOnEveryInstanceAndOnlyOnce() {
    String owner = owner();
    String bystander = owner();
    Sealed first = one.seal(owner, "holder", SECRET);
    Sealed second = CompletableFuture.supplyAsync(() -> two.seal(owner(), "x", SECRET)).join();
    Sealed byTwo = two.seal(owner, "holder", SECRET);
    Sealed kept = one.seal(bystander, "holder", SECRET);
    assertThat(second).isNotNull();

    assertThat(one.holds(owner, first.keyId())).isTrue();

    Forgetting forgetting = one.forget(owner, "admin-7");
    assertThat(forgetting.forgottenBy()).isEqualTo("admin-7");
    assertThat(forgetting.keysDestroyed()).isGreaterThanOrEqualTo(1);

    // the other instance learns of it from the topic, a moment later
    await().atMost(Duration.ofSeconds(10)).until(() -> two.open(owner, "holder", byTwo).isEmpty());
    for (KeyRing ring : List.of(one, two)) {
      assertThat(ring.open(owner, "holder", first)).isEmpty();
      assertThat(ring.open(owner, "holder", byTwo)).isEmpty();
      assertThat(ring.open(bystander, "holder", kept)).isPresent();
    }
    assertThat(two.holds(owner, first.keyId())).isFalse();
    assertThat(two.holds(bystander, kept.keyId())).isTrue();
    assertThat(one.forget(owner, "admin-8")).isEqualTo(forgetting);
    assertThat(two.forgetting(owner)).hasValueSatisfying(seen -> assertThat(seen.forgottenBy()).isEqualTo("admin-7"));
  }

  @Test
  void aRestartedInstanceStillCannotOpenAForgottenOwnersValues() {
    String owner = owner();
    Sealed sealed = one.seal(owner, "holder", SECRET);
    one.forget(owner, "admin");
    try (KeyRing restarted = ring(master)) {
      assertThat(restarted.open(owner, "holder", sealed)).isEmpty();
      assertThat(restarted.forgetting(owner)).isPresent();
    }
  }

  @Test
  void anotherMasterKeyOpensNothingUntilTheKeysAreRewrapped() throws Exception {
    String owner = owner();
    Sealed sealed = one.seal(owner, "holder", SECRET);
    Path newFile = TargetDirs.fresh("key-ring-rotated").resolve(MasterKey.DEFAULT_FILE);
    MasterKey.create(newFile);
    MasterKey rotated = MasterKey.load(newFile);
    try (KeyRing next = ring(rotated)) {
      assertThat(next.open(owner, "holder", sealed)).isEmpty();
      assertThat(next.rewrap(master)).isGreaterThanOrEqualTo(1);
    }
    try (KeyRing next = ring(rotated)) {
      assertThat(next.open(owner, "holder", sealed)).hasValueSatisfying(plain -> assertThat(plain).isEqualTo(SECRET));
    }
  }

  @Test
  void theMasterKeyFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = TargetDirs.fresh("master-key").resolve(MasterKey.DEFAULT_FILE);
    MasterKey created = MasterKey.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(MasterKey.loadOrCreate(file).id()).isEqualTo(created.id());
    Files.writeString(file, "not a key");
    assertThatThrownBy(() -> MasterKey.load(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base64 AES-256 key");
  }

  private static String owner() {
    return "owner-" + UUID.randomUUID();
  }
}
