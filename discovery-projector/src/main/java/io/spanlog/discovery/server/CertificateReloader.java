package io.spanlog.discovery.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves renewed certificates without a restart, as the reference service does: when the
 * certificate or key file changes (certbot, cert-manager and friends replace them in place), the
 * server's TLS options are rebuilt from them. A pair that does not load yet (the key written
 * after the certificate, say) keeps the old one in service and is tried again on the next look.
 */
final class CertificateReloader {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

  private final HttpServer server;
  private final ServerSSLOptions base;
  private final Path certificate;
  private final Path key;
  private List<Object> served;

  private CertificateReloader(HttpServer server, ServerSSLOptions base, Path certificate, Path key) {
    this.server = server;
    this.base = base;
    this.certificate = certificate;
    this.key = key;
    this.served = fingerprint();
  }

  /** Looks at the files every {@code interval}; the returned timer id cancels it. */
  static long watch(Vertx vertx, HttpServer server, ServerSSLOptions base, Path certificate, Path key, Duration interval) {
    CertificateReloader reloader = new CertificateReloader(server, base, certificate, key);
    return vertx.setPeriodic(interval.toMillis(), id -> reloader.look());
  }

  private void look() {
    List<Object> now = fingerprint();
    if (now.equals(served)) {
      return;
    }
    ServerSSLOptions fresh = base.copy().setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(certificate.toString()).setKeyPath(key.toString()));
    // force: the paths are the same as before, only the files' contents changed
    server.updateSSLOptions(fresh, true).onComplete(result -> {
      if (result.succeeded()) {
        served = now;
        LOG.info("TLS: serving the renewed certificate from {}", certificate);
      } else {
        LOG.warn("TLS: {} or {} changed but does not load ({}); still serving the previous certificate",
            certificate, key, result.cause().getMessage());
      }
    });
  }

  /** Modification time and size of both files: enough to notice a replacement, cheap to read. */
  private List<Object> fingerprint() {
    try {
      return List.of(Files.getLastModifiedTime(certificate), Files.size(certificate),
          Files.getLastModifiedTime(key), Files.size(key));
    } catch (IOException e) {
      return List.of("unreadable: " + e.getClass().getSimpleName());
    }
  }
}
