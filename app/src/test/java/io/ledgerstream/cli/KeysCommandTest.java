package io.ledgerstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.privacy.MasterKey;
import io.ledgerstream.testing.TargetDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class KeysCommandTest {

  @Test
  void newMasterWritesAKeyOnlyItsOwnerReadsAndNeverOverwritesOne() throws Exception {
    Path file = TargetDirs.fresh("keys-command").resolve("next.key");
    assertThat(Main.run("keys", "new-master", file.toString())).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String id = MasterKey.load(file).id();

    assertThat(Main.run("keys", "new-master", file.toString())).isEqualTo(2);
    assertThat(MasterKey.load(file).id()).isEqualTo(id);
  }
}
