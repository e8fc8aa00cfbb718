package io.spanlog.infra.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throwaway certificate authority and a server certificate it signed (by default SAN
 * 127.0.0.1, ::1 and localhost), written as PEM files into a (temporary) folder, for TLS tests over real sockets.
 * Nothing here is ever meant to be committed: every call makes fresh keys.
 *
 * @param caCertificate the CA certificate a client trusts ({@code ca.pem})
 * @param serverCertificate the server certificate chain ({@code server.pem})
 * @param serverKey the server's private key ({@code server-key.pem}, mode 0600)
 */
public record TestPki(Path caCertificate, Path serverCertificate, Path serverKey) {

  /** The PEM shapes of private keys that users have, as openssl and cert-manager write them. */
  public enum KeyFormat {
    /** {@code BEGIN PRIVATE KEY}, an EC P-256 key. */
    PKCS8_EC,
    /** {@code BEGIN EC PRIVATE KEY} (SEC 1), as {@code openssl ecparam -genkey} writes it. */
    SEC1_EC,
    /** {@code BEGIN PRIVATE KEY}, an RSA 2048 key. */
    PKCS8_RSA,
    /** {@code BEGIN RSA PRIVATE KEY} (PKCS#1), as older openssl and many tutorials write it. */
    PKCS1_RSA;

    boolean rsa() {
      return this == PKCS8_RSA || this == PKCS1_RSA;
    }

    boolean pkcs8() {
      return this == PKCS8_EC || this == PKCS8_RSA;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  public static TestPki create(Path folder) {
    return create(folder, KeyFormat.PKCS8_EC);
  }

  public static TestPki create(Path folder, KeyFormat format) {
    return create(folder, format, "127.0.0.1", "::1", "localhost");
  }

  /** @param names the server certificate's subject alternative names: IP literals or DNS names */
  public static TestPki create(Path folder, KeyFormat format, String... names) {
    try {
      Files.createDirectories(folder);
      KeyPair caKeys = ec();
      X500Name caName = new X500Name("CN=Spanlog test CA " + Long.toHexString(RANDOM.nextLong()));
      Instant now = Instant.now();
      var ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), caName, caKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate caCert = sign(ca, caKeys.getPrivate());

      KeyPair serverKeys = format.rsa() ? rsa() : ec();
      X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCert, serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
          new X500Name("CN=localhost"), serverKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
              java.util.Arrays.stream(names).map(TestPki::altName).toArray(GeneralName[]::new)));
      X509Certificate serverCert = sign(server, caKeys.getPrivate());

      Path caFile = folder.resolve("ca.pem");
      Path certFile = folder.resolve("server.pem");
      Path keyFile = folder.resolve("server-key.pem");
      Files.writeString(caFile, pem(caCert), StandardCharsets.US_ASCII);
      Files.writeString(certFile, pem(serverCert), StandardCharsets.US_ASCII);
      Files.deleteIfExists(keyFile);
      Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(keyFile, privateKeyPem(serverKeys, format), StandardCharsets.US_ASCII);
      return new TestPki(caFile, certFile, keyFile);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot make test certificates: " + e, e);
    }
  }

  private static GeneralName altName(String name) {
    boolean ip = name.contains(":") || name.matches("[0-9.]+");
    return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name);
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey caKey) throws Exception {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKey);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(object);
    }
    return out.toString();
  }

  private static String privateKeyPem(KeyPair keys, KeyFormat format) throws IOException {
    if (format.pkcs8()) {
      return pem(new JcaPKCS8Generator(keys.getPrivate(), null));
    }
    if (format == KeyFormat.SEC1_EC) {
      // as openssl writes it: with the curve and the public key (JcaPEMWriter leaves both out)
      var pkcs8 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
      var spki = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      var full = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), spki.getPublicKeyData(),
          pkcs8.getPrivateKeyAlgorithm().getParameters());
      return pem(new PemObject("EC PRIVATE KEY", full.getEncoded()));
    }
    return pem(keys.getPrivate()); // JcaPEMWriter's traditional shape: RSA PRIVATE KEY
  }
}
