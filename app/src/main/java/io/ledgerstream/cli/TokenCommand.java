package io.ledgerstream.cli;

import io.ledgerstream.security.DevelopmentTokens;
import io.ledgerstream.security.Role;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints an HS256 bearer token for an instance started with {@code --auth-hmac-secret-file}. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Print a bearer token signed with the HS256 secret of --auth-hmac-secret-file, for development. "
        + "Production tokens come from your identity provider.")
final class TokenCommand implements Callable<Integer> {

  @Option(names = "--secret-file", required = true, paramLabel = "FILE", description = "The serve's HS256 secret file.")
  Path secretFile;

  @Option(names = "--subject", defaultValue = "developer", description = "The token's sub (default: ${DEFAULT-VALUE}).")
  String subject;

  @Option(names = "--role", paramLabel = "ROLE", split = ",",
      description = "read, write or admin (ledger.read, ...); repeat or separate with commas (default: read,write).")
  List<String> roles;

  @Option(names = "--owner", description = "Scope the token to this owner's accounts.")
  String owner;

  @Option(names = "--issuer", description = "The token's iss, if serve checks one.")
  String issuer;

  @Option(names = "--audience", description = "The token's aud, if serve checks one.")
  String audience;

  @Option(names = "--ttl", defaultValue = "PT1H", description = "How long the token is valid, ISO-8601 "
      + "(default: ${DEFAULT-VALUE}).")
  Duration ttl;

  @Override
  public Integer call() {
    try {
      List<Role> granted = new ArrayList<>();
      for (String name : roles == null ? List.of("read", "write") : roles) {
        String claim = name.startsWith("ledger.") ? name : "ledger." + name;
        granted.add(Role.fromClaim(claim).orElseThrow(() -> new IllegalArgumentException(
            "unknown role '" + name + "': use read, write or admin")));
      }
      System.out.println(DevelopmentTokens.sign(secretFile, subject, granted, owner, issuer, audience, ttl));
      return 0;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("ledgerstream token: " + e.getMessage());
      return 2;
    }
  }
}
