package io.ledgerstream.privacy;

import java.time.Instant;

/**
 * One data key of an owner as {@value KeyRing#TOPIC} stores it under {@code <owner>/<keyId>}: encrypted by the master
 * key named {@code masterKeyId}. Field names are stored: never rename one.
 */
record WrappedKey(String owner, String keyId, String masterKeyId, byte[] wrappedKey, Instant createdAt) {
}
