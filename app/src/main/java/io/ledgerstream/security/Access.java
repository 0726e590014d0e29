package io.ledgerstream.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a request needs to be let in: nothing (probes), the operations rule (metrics and the API description: open
 * on a loopback-only server unless configured otherwise, {@link Role#READ} elsewhere), or any one of some roles.
 */
public record Access(Kind kind, Set<Role> anyOf) {

  /** The three kinds of requirement. */
  public enum Kind { OPEN, OPERATIONS, ROLE }

  public static final Access OPEN = new Access(Kind.OPEN, Set.of());
  public static final Access OPERATIONS = new Access(Kind.OPERATIONS, Set.of(Role.READ));

  public Access {
    anyOf = Set.copyOf(anyOf);
    if (kind == Kind.ROLE && anyOf.isEmpty()) {
      throw new IllegalArgumentException("a role requirement needs at least one role");
    }
  }

  /** Any one of these roles. */
  public static Access role(Role first, Role... more) {
    return new Access(Kind.ROLE, EnumSet.of(first, more));
  }

  /** Whether a principal holding these roles is let in, on a server whose operations routes are open or not. */
  public boolean admits(Principal principal, boolean operationsOpen) {
    return switch (kind) {
      case OPEN -> true;
      case OPERATIONS -> operationsOpen || anyOf.stream().anyMatch(principal::has);
      case ROLE -> anyOf.stream().anyMatch(principal::has);
    };
  }

  /** Whether a request needs a token at all on such a server. */
  public boolean needsToken(boolean operationsOpen) {
    return kind == Kind.ROLE || (kind == Kind.OPERATIONS && !operationsOpen);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case OPEN -> "open";
      case OPERATIONS -> "operations";
      case ROLE -> "any of " + anyOf.stream().map(Role::claimValue).sorted().toList();
    };
  }
}
