package io.ledgerstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.testing.TargetDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Settings that would expose the ledger or mix up schema ids stop {@code serve} before it starts anything, saying why. */
class ServeRefusalTest {

  private final Path dir = TargetDirs.fresh("serve-refusal-test");

  @Test
  void anExternalClusterNeedsAnExternalSchemaRegistry() {
    Refusal refusal = serve("--bootstrap-servers", "localhost:1", "--insecure-no-auth");

    assertThat(refusal.exitCode()).isEqualTo(2);
    assertThat(refusal.stderr()).contains("--schema-registry-url")
        .contains("development registry runs only with the embedded broker");
  }

  @Test
  void aNonLoopbackAddressNeedsAuthentication() {
    Refusal refusal = serve("--http-host", "0.0.0.0");

    assertThat(refusal.exitCode()).isEqualTo(2);
    assertThat(refusal.stderr()).contains("without authentication").contains("0.0.0.0")
        .contains("--auth-hmac-secret-file").contains("--insecure-no-auth");
  }

  @Test
  void anExternalClusterNeedsAuthentication() {
    Refusal refusal = serve("--bootstrap-servers", "localhost:1", "--schema-registry-url", "http://localhost:1");

    assertThat(refusal.exitCode()).isEqualTo(2);
    assertThat(refusal.stderr()).contains("external Kafka cluster without authentication");
  }

  @Test
  void aShortSecretStopsTheStartBeforeTheBroker() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "too-short\n");

    Refusal refusal = serve("--auth-hmac-secret-file", secret.toString());

    assertThat(refusal.exitCode()).isEqualTo(2);
    assertThat(refusal.stderr()).contains("at least 32");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void issuerWithoutAKeyIsRefused() {
    assertThat(serve("--auth-issuer", "https://id.example").stderr()).contains("need a key");
  }

  private record Refusal(int exitCode, String stderr) {
  }

  private Refusal serve(String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "serve";
    args[1] = "--data-dir";
    args[2] = dir.resolve("data").toString();
    System.arraycopy(options, 0, args, 3, options.length);
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return new Refusal(Main.run(args), captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }
}
