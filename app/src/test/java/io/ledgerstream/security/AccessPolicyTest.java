package io.ledgerstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What each request needs, decided in one place. */
class AccessPolicyTest {

  private final AccessPolicy policy = AccessPolicy.LEDGER;

  @Test
  void probesAreOpenAndOperationsFollowTheOperationsRule() {
    assertThat(policy.accessFor("GET", "/health/live")).isEqualTo(Access.OPEN);
    assertThat(policy.accessFor("GET", "/health/ready")).isEqualTo(Access.OPEN);
    assertThat(policy.accessFor("GET", "/metrics")).isEqualTo(Access.OPERATIONS);
    assertThat(policy.accessFor("GET", "/openapi.json")).isEqualTo(Access.OPERATIONS);
  }

  @Test
  void commandsNeedWriteQueriesReadAndAdminRoutesAdmin() {
    assertThat(policy.accessFor("POST", "/accounts/A-1/commands")).isEqualTo(Access.role(Role.WRITE));
    assertThat(policy.accessFor("POST", "/transfers/T-1/commands/")).isEqualTo(Access.role(Role.WRITE));
    assertThat(policy.accessFor("POST", "/loans/L-1/commands")).isEqualTo(Access.role(Role.WRITE));
    assertThat(policy.accessFor("GET", "/accounts/A-1")).isEqualTo(Access.role(Role.READ));
    assertThat(policy.accessFor("HEAD", "/events/stream")).isEqualTo(Access.role(Role.READ));
    assertThat(policy.accessFor("GET", "/commands/c-1")).isEqualTo(Access.role(Role.READ, Role.WRITE));
    assertThat(policy.accessFor("GET", "/admin/projections")).isEqualTo(Access.role(Role.ADMIN));
    assertThat(policy.accessFor("POST", "/admin/projections/rebuild")).isEqualTo(Access.role(Role.ADMIN));
    assertThat(policy.accessFor("POST", "/owners/alice/forget")).isEqualTo(Access.role(Role.ADMIN));
  }

  @Test
  void anUnmappedRouteNeedsAdmin() {
    assertThat(policy.accessFor("POST", "/accounts/A-1")).isEqualTo(Access.role(Role.ADMIN));
    assertThat(policy.accessFor("DELETE", "/accounts/A-1")).isEqualTo(Access.role(Role.ADMIN));
    assertThat(policy.accessFor("PUT", "/anything")).isEqualTo(Access.role(Role.ADMIN));
    assertThat(policy.accessFor("OPTIONS", "/accounts/A-1")).isEqualTo(Access.role(Role.ADMIN));
    assertThat(policy.accessFor("POST", "/accounts/A-1/commands/extra")).isEqualTo(Access.role(Role.ADMIN));
  }

  @Test
  void noSpellingOfAnAdminPathGetsLessThanAdmin() {
    assertThat(policy.accessFor("GET", "/ADMIN/projections")).isEqualTo(Access.role(Role.ADMIN));
    assertThat(policy.accessFor("get", "/Admin/projections/")).isEqualTo(Access.role(Role.ADMIN));
    assertThat(policy.accessFor("GET", "/admin")).isEqualTo(Access.role(Role.ADMIN));
  }

  @Test
  void aRoleAdmitsOnlyItself() {
    Principal reader = new Principal("r", java.util.Set.of(Role.READ), null, "t");
    Principal admin = new Principal("a", java.util.Set.of(Role.ADMIN), null, "t");

    assertThat(Access.role(Role.WRITE).admits(reader, true)).isFalse();
    assertThat(Access.role(Role.READ).admits(admin, true)).isFalse();
    assertThat(Access.OPERATIONS.admits(admin, false)).isFalse();
    assertThat(Access.OPERATIONS.admits(admin, true)).isTrue();
    assertThat(Access.role(Role.READ, Role.WRITE).admits(reader, false)).isTrue();
  }
}
