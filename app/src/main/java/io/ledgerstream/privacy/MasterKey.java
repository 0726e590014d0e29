package io.ledgerstream.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that wraps every owner's data key: 32 random bytes, base64 in a file only its owner may read. Its id (a
 * digest prefix, not the key) is stored beside each wrapped key, so a rotation knows which master wrapped it.
 */
public final class MasterKey {

  /** The file the embedded default keeps its master key in, under its data directory. */
  public static final String DEFAULT_FILE = "master.key";

  private final SecretKey key;
  private final String id;

  private MasterKey(byte[] raw) {
    if (raw.length != Aead.KEY_BITS / 8) {
      throw new IllegalArgumentException("a master key is " + Aead.KEY_BITS / 8 + " bytes, base64-encoded; got "
          + raw.length + " bytes");
    }
    key = new SecretKeySpec(raw, "AES");
    id = idOf(raw);
  }

  /** Reads the key from {@code file}. */
  public static MasterKey load(Path file) {
    try {
      return new MasterKey(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim()));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the master key file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the master key file " + file + " must hold one base64 AES-256 key: "
          + e.getMessage(), e);
    }
  }

  /** Reads the key from {@code file}, first creating it with a new random key, readable by its owner only (0600). */
  public static MasterKey loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        write(file, Aead.newKey().getEncoded());
      } catch (FileAlreadyExistsException e) {
        // another process made it first: use theirs
      } catch (IOException e) {
        throw new IllegalStateException("cannot create the master key file " + file + ": " + e.getMessage(), e);
      }
    }
    return load(file);
  }

  /** Writes a new random key to {@code file}, which must not exist, readable by its owner only. */
  public static void create(Path file) throws IOException {
    write(file, Aead.newKey().getEncoded());
  }

  private static void write(Path file, byte[] raw) throws IOException {
    Set<java.nio.file.attribute.PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, Base64.getEncoder().encodeToString(raw) + "\n", StandardCharsets.US_ASCII);
  }

  /** Names this key without revealing it: the first 8 bytes of its SHA-256, in hex. */
  public String id() {
    return id;
  }

  byte[] wrap(byte[] dataKey, byte[] associatedData) {
    return Aead.seal(key, associatedData, dataKey);
  }

  byte[] unwrap(byte[] wrapped, byte[] associatedData) throws AEADBadTagException {
    return Aead.open(key, associatedData, wrapped);
  }

  private static String idOf(byte[] raw) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
