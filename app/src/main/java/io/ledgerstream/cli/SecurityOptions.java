package io.ledgerstream.cli;

import io.ledgerstream.http.ApiSecurity;
import io.ledgerstream.http.HttpTls;
import io.ledgerstream.security.AuthSettings;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How {@code serve} protects its HTTP API: address, bearer tokens, CORS, TLS. */
final class SecurityOptions {

  @Option(names = "--http-host", defaultValue = ApiSecurity.DEFAULT_HOST,
      description = "Address the HTTP API binds (default: ${DEFAULT-VALUE}, this machine only). Another address "
          + "needs authentication or --insecure-no-auth.")
  String httpHost;

  @Option(names = "--auth-hmac-secret-file", paramLabel = "FILE",
      description = "Require bearer JWTs signed with HS256 under the secret in FILE (its content, whitespace "
          + "trimmed, at least " + AuthSettings.MIN_HMAC_SECRET_BYTES + " bytes).")
  Path hmacSecretFile;

  @Option(names = "--auth-public-key", paramLabel = "FILE",
      description = "Require bearer JWTs signed by the PEM public key (or certificate) in FILE: RSA for RS256, "
          + "EC P-256 for ES256.")
  Path publicKeyFile;

  @Option(names = "--auth-jwks-url", paramLabel = "URL",
      description = "Require bearer JWTs signed by a key of this JSON Web Key Set (RS256, ES256); keys are cached and "
          + "fetched again for an unknown key id, at most once every "
          + AuthSettings.JWKS_MIN_REFRESH_SECONDS + " s.")
  URI jwksUrl;

  @Option(names = "--auth-issuer", description = "The iss every token must carry.")
  String issuer;

  @Option(names = "--auth-audience", description = "A value every token's aud must contain.")
  String audience;

  @Option(names = "--auth-roles-claim", defaultValue = AuthSettings.DEFAULT_ROLES_CLAIM,
      description = "The claim holding a token's roles: ledger.read, ledger.write, ledger.admin (default: "
          + "${DEFAULT-VALUE}).")
  String rolesClaim;

  @Option(names = "--insecure-no-auth",
      description = "Run without authentication where that is refused: on a non-loopback --http-host, or against an "
          + "external Kafka cluster. Anyone who reaches the API can then move money.")
  boolean insecureNoAuth;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN",
      description = "The one origin browsers may call the API from, e.g. https://app.example.com (default: none).")
  String corsOrigin;

  @Option(names = "--http-tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this PEM certificate chain.")
  Path tlsCert;

  @Option(names = "--http-tls-key", paramLabel = "FILE",
      description = "The PEM private key of --http-tls-cert (unencrypted PKCS#8: BEGIN PRIVATE KEY).")
  Path tlsKey;

  @Option(names = "--http-tls-keystore", paramLabel = "FILE",
      description = "Serve HTTPS with the key in this PKCS#12 keystore, instead of --http-tls-cert and --http-tls-key.")
  Path tlsKeystore;

  @Option(names = "--http-tls-keystore-password-file", paramLabel = "FILE",
      description = "The keystore's password (default: empty).")
  Path tlsKeystorePasswordFile;

  @Option(names = "--operations-access", defaultValue = "AUTO",
      description = "Who may read /metrics and /openapi.json when tokens are required: AUTO (no token on a loopback "
          + "address, ledger.read otherwise), OPEN or TOKEN (default: ${DEFAULT-VALUE}).")
  ApiSecurity.OperationsAccess operations;

  /** The settings these options give; throws {@link IllegalArgumentException} for a combination that cannot work. */
  ApiSecurity apiSecurity() {
    boolean anyAuth = hmacSecretFile != null || publicKeyFile != null || jwksUrl != null;
    AuthSettings auth = anyAuth
        ? new AuthSettings(jwksUrl, publicKeyFile, hmacSecretFile, issuer, audience, rolesClaim) : null;
    if (auth == null && (issuer != null || audience != null)) {
      throw new IllegalArgumentException("--auth-issuer and --auth-audience need a key: --auth-hmac-secret-file, "
          + "--auth-public-key or --auth-jwks-url");
    }
    boolean anyTls = tlsCert != null || tlsKey != null || tlsKeystore != null;
    HttpTls tls = anyTls ? new HttpTls(tlsCert, tlsKey, tlsKeystore, tlsKeystorePasswordFile) : null;
    return new ApiSecurity(httpHost, auth, insecureNoAuth, corsOrigin, tls, operations);
  }
}
