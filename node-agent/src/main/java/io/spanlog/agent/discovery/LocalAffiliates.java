package io.spanlog.agent.discovery;

import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.agent.config.EndpointFilter;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Builds the local affiliate as kubespan-behaviour.md, "The local affiliate", describes. */
public final class LocalAffiliates {
  private LocalAffiliates() {}

  /**
   * @param nodeAddresses the node's current addresses (any order; the KubeSpan address, loopback,
   *     link-local and multicast ones are left out)
   * @param publicIp the client IP the discovery service reported in Hello, if any
   * @param announcedPort the port peers should send to (the listen port unless forwarded)
   */
  public static LocalAffiliate build(
      String nodeId,
      String hostname,
      String nodename,
      List<InetAddress> nodeAddresses,
      String publicKey,
      InetAddress kubeSpanAddress,
      List<IpPrefix> advertisedNetworks,
      EndpointFilter filter,
      int announcedPort,
      Optional<InetAddress> publicIp) {
    var addresses = new LinkedHashSet<InetAddress>();
    for (InetAddress ip : nodeAddresses) {
      if (!ip.equals(kubeSpanAddress) && routable(ip)) {
        addresses.add(ip);
      }
    }
    var endpoints = new LinkedHashSet<Endpoint>();
    for (InetAddress ip : addresses) {
      if (filter.allows(ip)) {
        endpoints.add(new Endpoint(ip, announcedPort));
      }
    }
    publicIp.filter(LocalAffiliates::routable).filter(filter::allows)
        .ifPresent(ip -> endpoints.add(new Endpoint(ip, announcedPort)));
    var data = new DecodedAffiliate(
        nodeId,
        new ArrayList<>(addresses),
        hostname,
        nodename,
        "worker",
        "Spanlog",
        Optional.of(new KubeSpanInfo(publicKey, kubeSpanAddress, advertisedNetworks, List.of())));
    return new LocalAffiliate(data, new ArrayList<>(endpoints));
  }

  private static boolean routable(InetAddress ip) {
    return !ip.isLoopbackAddress() && !ip.isLinkLocalAddress() && !ip.isMulticastAddress() && !ip.isAnyLocalAddress();
  }
}
