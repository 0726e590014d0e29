package io.ledgerstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerstream.security.AuthSettings;
import io.ledgerstream.security.Principal;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TestTokens;
import io.ledgerstream.security.TokenVerifier;
import io.ledgerstream.testing.TargetDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code token} signs what {@code serve --auth-hmac-secret-file} accepts, with the roles and owner asked for. */
class TokenCommandTest {

  private final TestTokens tokens = TestTokens.hmac(TargetDirs.fresh("token-command-test"));

  @Test
  void printsATokenTheServeSecretVerifies() throws Exception {
    String token = run("token", "--secret-file", tokens.secretFile().toString(), "--subject", "ops",
        "--role", "admin,ledger.read", "--owner", "alice", "--issuer", "https://id.test", "--audience", "ledger");

    Principal principal = TokenVerifier.create(AuthSettings.hmac(tokens.secretFile())
        .requiring("https://id.test", "ledger")).verify(token.strip());

    assertThat(principal.subject()).isEqualTo("ops");
    assertThat(principal.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.READ);
    assertThat(principal.scopedOwner()).contains("alice");
  }

  @Test
  void refusesAnUnknownRole() {
    assertThat(Main.run("token", "--secret-file", tokens.secretFile().toString(), "--role", "root")).isEqualTo(2);
  }

  private static String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.run(args)).isZero();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
