package io.spanlog.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * Checks a CA file when the config is read, so a wrong path or a key pasted by mistake is a
 * config error naming the field rather than a TLS failure at every reconnect later.
 */
final class CaFile {
  private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

  private CaFile() {}

  /** @throws IllegalArgumentException with a sentence saying what is wrong (never the file's text) */
  static Path check(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(file + " is not a readable file");
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (!new String(bytes, StandardCharsets.US_ASCII).contains(PEM_CERTIFICATE)) {
        throw new IllegalArgumentException(file + " holds no PEM certificate (" + PEM_CERTIFICATE + ")");
      }
      try (InputStream in = Files.newInputStream(file)) {
        if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
          throw new IllegalArgumentException(file + " holds no PEM certificate (" + PEM_CERTIFICATE + ")");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + " holds a PEM certificate that does not parse: " + e.getMessage());
    }
    return file;
  }
}
