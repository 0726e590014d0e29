package io.ledgerstream.security;

import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who sent a request, as its verified bearer token says: the subject, the roles and the owner the token is scoped
 * to. Every handler reads it through {@link #of(Context)}; without authentication configured it is
 * {@link #ANONYMOUS}, which holds every role.
 *
 * @param subject the token's {@code sub}; null when anonymous
 * @param owner the token's owner claim: it may act only on this owner's data; null for any owner
 * @param token the bearer token as received, passed on when a request is forwarded to another instance; null when
 *     anonymous
 */
public record Principal(String subject, Set<Role> roles, String owner, String token) {

  /** Everyone, when the API runs without authentication. */
  public static final Principal ANONYMOUS = new Principal(null, EnumSet.allOf(Role.class), null, null);

  private static final String ATTRIBUTE = "ledgerstream.principal";

  public Principal {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  /** The principal the request was authenticated as; every request has one once past the access check. */
  public static Principal of(Context ctx) {
    Principal principal = ctx.attribute(ATTRIBUTE);
    if (principal == null) {
      throw new IllegalStateException("no principal on " + ctx.method() + " " + ctx.path()
          + ": the access check did not run");
    }
    return principal;
  }

  /** Records who sent the request; done once, by the access check. */
  public void attachTo(Context ctx) {
    ctx.attribute(ATTRIBUTE, this);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean authenticated() {
    return subject != null;
  }

  /** Who to record as having acted: the token's subject, or {@code unauthenticated} without a token. */
  public String actor(String unauthenticated) {
    return subject != null ? subject : unauthenticated;
  }

  /** Whether this principal may see data of {@code dataOwner}: any owner's when unscoped, else only its own. */
  public boolean sees(String dataOwner) {
    return owner == null || owner.equals(dataOwner);
  }

  /** The owner this principal is limited to, if any. */
  public Optional<String> scopedOwner() {
    return Optional.ofNullable(owner);
  }

  @Override
  public String toString() {
    // never the token: principals end up in logs
    return "Principal[" + (subject == null ? "anonymous" : subject) + ", " + roles
        + (owner == null ? "" : ", owner " + owner) + "]";
  }
}
