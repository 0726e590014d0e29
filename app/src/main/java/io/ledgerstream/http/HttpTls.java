package io.ledgerstream.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The certificate the HTTP API serves HTTPS with: a PEM certificate chain and its PKCS#8 PEM private key, or a
 * PKCS#12 keystore.
 *
 * @param certFile PEM certificates, the server's first
 * @param keyFile the PEM private key ({@code BEGIN PRIVATE KEY}, unencrypted PKCS#8); with {@code certFile}
 * @param keystoreFile a PKCS#12 keystore holding one key entry; instead of the PEM files
 * @param keystorePasswordFile the keystore's password, trimmed; null for an empty password
 */
public record HttpTls(Path certFile, Path keyFile, Path keystoreFile, Path keystorePasswordFile) {

  private static final Pattern PRIVATE_KEY = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  public HttpTls {
    boolean pem = certFile != null || keyFile != null;
    if (pem == (keystoreFile != null)) {
      throw new IllegalArgumentException("TLS needs either --http-tls-cert and --http-tls-key, or --http-tls-keystore");
    }
    if (pem && (certFile == null || keyFile == null)) {
      throw new IllegalArgumentException("--http-tls-cert and --http-tls-key go together");
    }
  }

  /** Jetty's server-side TLS context for this certificate; reads and checks the files now. */
  SslContextFactory.Server sslContextFactory() {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    String password;
    KeyStore keyStore;
    if (keystoreFile != null) {
      password = keystorePasswordFile == null ? "" : read(keystorePasswordFile).strip();
      keyStore = load(keystoreFile, password);
    } else {
      // the PEM key lives in this in-memory keystore only; its password protects nothing else
      byte[] random = new byte[16];
      new SecureRandom().nextBytes(random);
      password = HexFormat.of().formatHex(random);
      keyStore = fromPem(password);
    }
    factory.setKeyStore(keyStore);
    factory.setKeyStorePassword(password);
    factory.setKeyManagerPassword(password);
    return factory;
  }

  private KeyStore fromPem(String password) {
    try {
      Certificate[] chain;
      try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(certFile))) {
        chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
      }
      if (chain.length == 0) {
        throw new IllegalArgumentException(certFile + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", privateKey(chain[0].getPublicKey().getAlgorithm()), password.toCharArray(), chain);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + certFile + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use " + certFile + " and " + keyFile + " for TLS: " + e.getMessage(), e);
    }
  }

  private PrivateKey privateKey(String algorithm) throws GeneralSecurityException {
    Matcher pem = PRIVATE_KEY.matcher(read(keyFile));
    if (!pem.find()) {
      throw new IllegalArgumentException(keyFile + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); "
          + "convert one with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.group(1));
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private static KeyStore load(Path file, String password) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the keystore " + file + " (wrong password?): " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the keystore " + file + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
