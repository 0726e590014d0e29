package io.ledgerstream.registry.dev;

import java.util.Optional;

/** Decides who may change the development registry: register schemas and set compatibility levels. */
@FunctionalInterface
public interface DevRegistryGuard {

  /** Why a write is refused: 401 without acceptable credentials, 403 with credentials that lack the right. */
  record Refusal(int status, String message) {
  }

  /** Everyone may write: the registry runs without authentication. */
  DevRegistryGuard OPEN = authorization -> Optional.empty();

  /**
   * @param authorization the request's {@code Authorization} header, or null
   * @return empty to let the write through
   */
  Optional<Refusal> checkWrite(String authorization);
}
