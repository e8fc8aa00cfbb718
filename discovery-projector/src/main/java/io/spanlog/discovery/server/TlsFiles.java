package io.spanlog.discovery.server;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Checks {@code --certificate-path}/{@code --key-path} before anything starts, so a wrong path or
 * a key format Vert.x cannot read is one sentence naming the flag, not a stack trace after Kafka
 * came up. Accepted: PEM certificate chains; PEM keys as PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC 1 with the curve named ({@code EC PRIVATE KEY}, as openssl
 * writes it). Messages never quote the files' contents.
 */
final class TlsFiles {
  private TlsFiles() {}

  /** @throws IllegalArgumentException saying which file is wrong and why */
  static void check(Path certificate, Path key) {
    readable(certificate, "--certificate-path");
    readable(key, "--key-path");
    Vertx vertx = Vertx.vertx();
    try {
      new PemKeyCertOptions().setCertPath(certificate.toString()).setKeyPath(key.toString())
          .getKeyManagerFactory(vertx);
    } catch (Exception e) {
      throw new IllegalArgumentException("--certificate-path " + certificate + " / --key-path " + key
          + ": cannot load them as a PEM certificate chain and private key (" + e.getMessage() + ")");
    } finally {
      try {
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // only the helper instance used for the check
      }
    }
  }

  private static void readable(Path file, String flag) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(flag + " " + file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(flag + " " + file + ": not readable by this user");
    }
  }
}
