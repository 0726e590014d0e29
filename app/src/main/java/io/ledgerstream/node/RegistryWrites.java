package io.ledgerstream.node;

import io.ledgerstream.registry.dev.DevRegistryGuard;
import io.ledgerstream.security.InvalidTokenException;
import io.ledgerstream.security.Principal;
import io.ledgerstream.security.Role;
import io.ledgerstream.security.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who may change the development registry when the API requires tokens: a token with {@link Role#ADMIN} (schemas
 * are the contract, changed by operators), or this node itself, which registers the current schemas at start-up
 * with a random token only it knows.
 */
final class RegistryWrites implements DevRegistryGuard {

  private static final String BEARER = "Bearer ";

  private final TokenVerifier verifier;
  private final String nodeToken;

  RegistryWrites(TokenVerifier verifier) {
    this.verifier = verifier;
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.nodeToken = HexFormat.of().formatHex(random);
  }

  /** The token this node's own registry client sends. */
  String nodeToken() {
    return nodeToken;
  }

  @Override
  public Optional<Refusal> checkWrite(String authorization) {
    if (authorization == null || !authorization.startsWith(BEARER)) {
      return Optional.of(new Refusal(401, "registering schemas or changing compatibility needs a bearer token "
          + "with the role " + Role.ADMIN.claimValue()));
    }
    String token = authorization.substring(BEARER.length()).strip();
    if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), nodeToken.getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    try {
      Principal principal = verifier.verify(token);
      return principal.has(Role.ADMIN) ? Optional.empty()
          : Optional.of(new Refusal(403, "changing the registry needs the role " + Role.ADMIN.claimValue()));
    } catch (InvalidTokenException e) {
      return Optional.of(new Refusal(401, "the bearer token is not accepted: " + e.getMessage()));
    } catch (TokenVerifier.KeysUnavailableException e) {
      return Optional.of(new Refusal(503, "tokens cannot be checked right now: " + e.getMessage()));
    }
  }
}
