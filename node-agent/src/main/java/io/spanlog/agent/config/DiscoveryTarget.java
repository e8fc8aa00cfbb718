package io.spanlog.agent.config;

import io.spanlog.net.HostPort;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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
  /** The host of the public discovery service Sidero Labs runs for Talos clusters. */
  public static final String PUBLIC_SERVICE_HOST = "discovery.talos.dev";
  /** What would start a path, a query, a fragment or user info: none belongs in the URL. */
  private static final Pattern AUTHORITY_END = Pattern.compile("[/?#@]");

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

  /**
   * Parses {@code https://host[:port]/} or {@code http://host[:port]/}; the host and port are read
   * by event-model's {@link HostPort}, as every host:port of Spanlog is.
   */
  public static DiscoveryTarget parse(String url) {
    String text = url.trim();
    boolean tls = text.startsWith("https://");
    if (!tls && !text.startsWith("http://")) {
      throw new IllegalArgumentException(
          "'" + url + "' must start with https:// (TLS) or http:// (plaintext)");
    }
    String authority = text.substring(tls ? "https://".length() : "http://".length());
    if (authority.endsWith("/")) {
      authority = authority.substring(0, authority.length() - 1);
    }
    if (authority.isEmpty()) {
      throw new IllegalArgumentException("'" + url + "' has no host");
    }
    if (AUTHORITY_END.matcher(authority).find()) {
      throw new IllegalArgumentException("'" + url + "' must be scheme://host[:port]/ with nothing else");
    }
    HostPort address = HostPort.parse(authority, tls ? 443 : 80, "the URL's host:port");
    return new DiscoveryTarget(address.host(), address.port(), tls);
  }

  /** The same service trusting the given CA file (e.g. a redirect keeps the trust settings). */
  public DiscoveryTarget withCaFile(Optional<Path> ca) {
    return new DiscoveryTarget(host, port, tls, ca);
  }

  /**
   * Whether this is the public discovery service (Talos's default): a third party, which stores
   * affiliates sealed but must never receive a cluster's telemetry.
   */
  public boolean isPublicService() {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    return h.equalsIgnoreCase(PUBLIC_SERVICE_HOST);
  }

  /** The gRPC target, {@code host:port}. */
  public String authority() {
    return new HostPort(host, port).toString();
  }

  public String url() {
    return (tls ? "https://" : "http://") + authority() + "/";
  }

  @Override
  public String toString() {
    return url();
  }
}
