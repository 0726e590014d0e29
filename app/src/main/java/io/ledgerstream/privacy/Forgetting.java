package io.ledgerstream.privacy;

import java.time.Instant;

/**
 * That an owner was forgotten, who asked and when: recorded in {@value KeyRing#TOPIC} under
 * {@code <owner>/forgotten}, after the tombstones of the owner's keys. It holds no personal data.
 *
 * @param keysDestroyed how many data keys this request destroyed (0 when an earlier one had)
 */
public record Forgetting(String owner, String forgottenBy, Instant forgottenAt, int keysDestroyed) {
}
