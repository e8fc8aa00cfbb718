package io.spanlog.agent.discovery;

import io.spanlog.agent.config.DiscoveryTarget;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * How the agent connects to a discovery service, shared by the discovery client and the
 * telemetry reporter (same port): HTTP/2 over TLS with ALPN for {@code https://}, trusting the
 * target's CA file if it has one, else the JDK's default trust store; h2c with prior knowledge
 * for {@code http://}, as gRPC clients speak it.
 */
public final class DiscoveryConnections {
  private DiscoveryConnections() {}

  public static HttpClientOptions httpOptions(DiscoveryTarget target) {
    var http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2);
    if (target.tls()) {
      // verifyHost: the certificate must name the endpoint's host (SAN), as in any HTTPS client
      http.setSsl(true).setUseAlpn(true).setVerifyHost(true);
      target.caFile().ifPresent(ca -> http.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
    } else {
      http.setHttp2ClearTextUpgrade(false);
    }
    return http;
  }

  /**
   * A transport failure in a sentence: TLS failures say what was wrong with the certificate
   * (Netty's top-level "Failed to create SSL connection" alone does not), and what to do.
   */
  public static String describe(Throwable e, DiscoveryTarget target) {
    Throwable tls = null;
    Throwable path = null;
    Throwable certificate = null;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SSLException && tls == null) {
        tls = c;
      } else if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException) {
        path = c;
      } else if (c instanceof CertificateException && certificate == null) {
        certificate = c;
      }
    }
    if (path != null) {
      return "TLS: the certificate of " + target.authority() + " is not trusted (" + deepest(path) + "); "
          + (target.caFile().isPresent()
              ? "it is not signed by the CA in " + target.caFile().get()
              : "if the service uses a private CA, set discovery.caFile to its certificate");
    }
    if (certificate != null && tls != null) {
      return "TLS: the certificate of " + target.authority() + " is not valid for it (" + deepest(certificate) + ")";
    }
    if (tls != null) {
      return "TLS handshake with " + target.authority() + " failed: " + deepest(tls);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String deepest(Throwable e) {
    Throwable last = e;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c.getMessage() != null) {
        last = c;
      }
    }
    return last.getMessage() == null ? last.toString() : last.getMessage();
  }
}
