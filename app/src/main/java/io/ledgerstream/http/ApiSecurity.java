package io.ledgerstream.http;

import io.ledgerstream.security.AuthSettings;
import io.ledgerstream.security.TokenVerifier;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How the HTTP API protects itself: the address it binds, how tokens are verified (none: every request is
 * {@link io.ledgerstream.security.Principal#ANONYMOUS}), the one origin browsers may call it from, TLS, and whether
 * {@code /metrics} and {@code /openapi.json} need a token.
 *
 * @param host the address to bind; {@value #DEFAULT_HOST} by default, so only this machine can reach an API
 *     without authentication
 * @param auth how bearer tokens are verified; null runs without authentication
 * @param insecureNoAuth allow running without authentication where that is refused by default: on a non-loopback
 *     address, or against an external Kafka cluster
 * @param corsOrigin the one origin (e.g. {@code https://app.example.com}) browsers may call the API from; null allows
 *     no cross-origin calls
 * @param tls the certificate to serve HTTPS with; null serves plain HTTP
 * @param operations who may read {@code /metrics} and {@code /openapi.json}
 */
public record ApiSecurity(String host, AuthSettings auth, boolean insecureNoAuth, String corsOrigin, HttpTls tls,
                          OperationsAccess operations) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Who may read the operations routes when authentication is on. */
  public enum OperationsAccess {
    /** Open when the API binds a loopback address only, {@code ledger.read} otherwise. */
    AUTO,
    /** Always open, e.g. for a Prometheus that cannot send tokens. */
    OPEN,
    /** Always {@code ledger.read}. */
    TOKEN
  }

  public ApiSecurity {
    host = host == null || host.isBlank() ? DEFAULT_HOST : host;
    operations = operations == null ? OperationsAccess.AUTO : operations;
  }

  /**
   * Loopback, plain HTTP, no authentication, explicitly allowed whatever the cluster: for embeddings such as tests
   * and tools that start nodes in-process. The command line never uses it.
   */
  public static ApiSecurity unauthenticatedLoopback() {
    return new ApiSecurity(DEFAULT_HOST, null, true, null, null, OperationsAccess.AUTO);
  }

  /**
   * Refuses settings that would expose an API without authentication, saying why: a non-loopback address, or an
   * external cluster (whose data outlives a developer's machine), unless {@link #insecureNoAuth}.
   *
   * @throws IllegalArgumentException naming the problem and the options that solve it
   */
  public void check(boolean externalCluster) {
    if (auth != null || insecureNoAuth) {
      return;
    }
    if (!loopbackOnly()) {
      throw new IllegalArgumentException("refusing to serve the HTTP API on " + host + " without authentication: "
          + "anyone who reaches that address could move money. Configure tokens (--auth-hmac-secret-file, "
          + "--auth-public-key or --auth-jwks-url), bind 127.0.0.1 (--http-host), or accept the risk with "
          + "--insecure-no-auth.");
    }
    if (externalCluster) {
      throw new IllegalArgumentException("refusing to serve an external Kafka cluster without authentication: "
          + "any local process could read and move its money. Configure tokens (--auth-hmac-secret-file, "
          + "--auth-public-key or --auth-jwks-url), or accept the risk with --insecure-no-auth.");
    }
  }

  /**
   * Reads the key, secret and certificate files now, so a mistake in them stops a start before anything runs.
   *
   * @throws IllegalArgumentException or {@link java.io.UncheckedIOException} saying what is wrong
   */
  public void validate() {
    if (auth != null) {
      TokenVerifier.create(auth);
    }
    if (tls != null) {
      tls.sslContextFactory();
    }
    loopbackOnly();
  }

  /** Whether the bound address is a loopback one, so only this machine can connect. */
  public boolean loopbackOnly() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--http-host " + host + " is not an address of this machine: " + e.getMessage());
    }
  }

  /** Whether {@code /metrics} and {@code /openapi.json} need no token. */
  public boolean operationsOpen() {
    return auth == null || operations == OperationsAccess.OPEN
        || (operations == OperationsAccess.AUTO && loopbackOnly());
  }

  /** {@code https} with TLS, else {@code http}. */
  public String scheme() {
    return tls != null ? "https" : "http";
  }
}
