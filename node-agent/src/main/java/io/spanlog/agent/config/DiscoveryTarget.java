package io.spanlog.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the discovery service is, from a Talos-style URL: {@code https://host[:port]/} is TLS
 * (default port 443), {@code http://host[:port]} is plaintext HTTP/2 (default port 80).
 *
 * @param caFile for TLS: the PEM file of the CA(s) to trust instead of the JDK's default trust
 *     store (a self-hosted service with a private CA); empty = the default trust store, as Talos
 *     trusts the system roots for discovery.talos.dev
 */
public record DiscoveryTarget(String host, int port, boolean tls, Optional<Path> caFile) {
  public static final String TALOS_DEFAULT = "https://discovery.talos.dev/";

  public DiscoveryTarget(String host, int port, boolean tls) {
    this(host, port, tls, Optional.empty());
  }

  public DiscoveryTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(caFile, "caFile");
    if (caFile.isPresent() && !tls) {
      throw new IllegalArgumentException("a CA file applies to https:// endpoints only");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  public static DiscoveryTarget parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + url + "' is not a URL");
    }
    String scheme = uri.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new IllegalArgumentException(
          "'" + url + "' must start with https:// (TLS) or http:// (plaintext)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("'" + url + "' has no host");
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null
        || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
      throw new IllegalArgumentException("'" + url + "' must be scheme://host[:port]/ with nothing else");
    }
    boolean tls = "https".equals(scheme);
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    return new DiscoveryTarget(host, uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80, tls);
  }

  /** The same service trusting the given CA file (e.g. a redirect keeps the trust settings). */
  public DiscoveryTarget withCaFile(Optional<Path> ca) {
    return new DiscoveryTarget(host, port, tls, ca);
  }

  /** The gRPC target, {@code host:port}. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  public String url() {
    return (tls ? "https://" : "http://") + authority() + "/";
  }

  @Override
  public String toString() {
    return url();
  }
}
