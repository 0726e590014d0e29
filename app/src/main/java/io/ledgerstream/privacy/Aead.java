package io.ledgerstream.privacy;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM through the JDK: a fresh 96-bit random nonce per message, put in front of the ciphertext, and a 128-bit
 * tag; the associated data binds a ciphertext to where it belongs, so it cannot be moved to another owner or field.
 */
final class Aead {

  static final int KEY_BITS = 256;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Aead() {
  }

  static SecretKey newKey() {
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(KEY_BITS, RANDOM);
      return generator.generateKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make AES keys", e);
    }
  }

  /** nonce || ciphertext || tag. */
  static byte[] seal(SecretKey key, byte[] associatedData, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * The plaintext of {@link #seal}'s output.
   *
   * @throws AEADBadTagException when the key, the associated data or the bytes are not the ones sealed
   */
  static byte[] open(SecretKey key, byte[] associatedData, byte[] sealed) throws AEADBadTagException {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new AEADBadTagException("too short to be AES-GCM output");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, NONCE_BYTES)));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }
}
