package io.ledgerstream.security;

import java.util.Arrays;
import java.util.Optional;

/** What a token may do, as named in its roles claim; a role grants only itself, never another. */
public enum Role {

  /** Queries, the live event stream, correlations, command results. */
  READ("ledger.read"),
  /** Commands. */
  WRITE("ledger.write"),
  /** Projection rebuilds and the admin views; later erasure and dead letters. */
  ADMIN("ledger.admin");

  private final String claimValue;

  Role(String claimValue) {
    this.claimValue = claimValue;
  }

  /** The name in a token's roles claim, e.g. {@code ledger.read}. */
  public String claimValue() {
    return claimValue;
  }

  /** The role a roles-claim entry names; empty for names this ledger does not use. */
  public static Optional<Role> fromClaim(String value) {
    return Arrays.stream(values()).filter(role -> role.claimValue.equals(value)).findFirst();
  }
}
