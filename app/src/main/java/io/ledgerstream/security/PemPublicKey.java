package io.ledgerstream.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.X509CertUtils;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A token-signing public key read from PEM ({@code PUBLIC KEY} or {@code CERTIFICATE}), with the one algorithm it verifies. */
record PemPublicKey(JWK jwk, JWSAlgorithm algorithm) {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  static PemPublicKey parse(String pem, String source) {
    Matcher block = BLOCK.matcher(pem);
    if (!block.find()) {
      throw new IllegalArgumentException(source + " holds no PEM block; expected -----BEGIN PUBLIC KEY----- "
          + "or -----BEGIN CERTIFICATE-----");
    }
    PublicKey key = switch (block.group(1)) {
      case "PUBLIC KEY" -> publicKey(Base64.getMimeDecoder().decode(block.group(2)), source);
      case "CERTIFICATE" -> certificateKey(block.group(), source);
      default -> throw new IllegalArgumentException(source + " holds a PEM " + block.group(1)
          + "; expected PUBLIC KEY or CERTIFICATE");
    };
    if (key instanceof RSAPublicKey rsa) {
      return new PemPublicKey(new RSAKey.Builder(rsa).algorithm(JWSAlgorithm.RS256).build(), JWSAlgorithm.RS256);
    }
    if (key instanceof ECPublicKey ec && Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
      return new PemPublicKey(new ECKey.Builder(Curve.P_256, ec).algorithm(JWSAlgorithm.ES256).build(),
          JWSAlgorithm.ES256);
    }
    throw new IllegalArgumentException(source + " holds a " + key.getAlgorithm()
        + " key; expected RSA (RS256) or EC P-256 (ES256)");
  }

  private static PublicKey publicKey(byte[] der, String source) {
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(source + " holds a public key that is neither RSA nor EC");
  }

  private static PublicKey certificateKey(String pem, String source) {
    X509Certificate certificate = X509CertUtils.parse(pem);
    if (certificate == null) {
      throw new IllegalArgumentException(source + " holds a certificate that cannot be read");
    }
    return certificate.getPublicKey();
  }
}
