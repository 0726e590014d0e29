package io.ledgerstream.domain;

import java.util.Arrays;

/**
 * Personal data as the ledger stores it: encrypted before it reached the command side, under the data key
 * {@code keyId} of its owner. The domain carries it unread; only the key service opens it.
 */
public record Sealed(String keyId, byte[] ciphertext) {

  public Sealed {
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Sealed sealed && keyId.equals(sealed.keyId) && Arrays.equals(ciphertext, sealed.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * keyId.hashCode() + Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "Sealed[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
  }
}
