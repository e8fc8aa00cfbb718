package io.spanlog.agent.config;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.status.StatusTimings;
import io.spanlog.net.IpPrefix;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node agent's configuration, validated. Its text form hides the cluster secret.
 *
 * @param clusterId the cluster id, an opaque string sent in clear to discovery
 * @param clusterSecret the cluster secret (AES key, WireGuard preshared key)
 * @param discovery the discovery service (the first of {@link #discoveryEndpoints()})
 * @param discoveryAlternates more endpoints of the same discovery service (instances on one log),
 *     tried in this order when the one in use fails
 * @param hostname the host name to publish; empty = the machine's
 * @param nodename the node name (peer label) to publish; empty = the host name
 * @param interfaceName the WireGuard interface
 * @param listenPort the UDP port WireGuard listens on
 * @param announcedPort the port published in the node's endpoints; differs from the listen port
 *     behind port forwarding
 * @param mtu the interface MTU
 * @param stateFolder where identity files live
 * @param advertisedNetworks extra prefixes routed to this node (KubeSpan additional addresses)
 * @param endpointFilter which own addresses are published as endpoints
 * @param timings the peer status clocks
 * @param harvestExtraEndpoints publish endpoints of up peers on their behalf
 * @param backend the WireGuard implementation
 * @param statusApiPort the localhost port of the JSON status API; 0 = off
 * @param telemetry whether sealed handshake samples go to the discovery service (never to the
 *     public one)
 */
public record NodeConfig(
    String clusterId,
    ClusterSecret clusterSecret,
    DiscoveryTarget discovery,
    List<DiscoveryTarget> discoveryAlternates,
    Optional<String> hostname,
    Optional<String> nodename,
    String interfaceName,
    int listenPort,
    int announcedPort,
    int mtu,
    Path stateFolder,
    List<IpPrefix> advertisedNetworks,
    EndpointFilter endpointFilter,
    StatusTimings timings,
    boolean harvestExtraEndpoints,
    WireGuardBackendKind backend,
    int statusApiPort,
    TelemetryMode telemetry) {

  public static final String DEFAULT_INTERFACE = "kubespan";
  public static final int DEFAULT_PORT = 51820;
  public static final int DEFAULT_MTU = 1420;
  public static final int DEFAULT_STATUS_API_PORT = 51890;
  public static final String DEFAULT_STATE_FOLDER = "/var/lib/spanlog";

  public NodeConfig {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(clusterSecret, "clusterSecret");
    Objects.requireNonNull(discovery, "discovery");
    discoveryAlternates = List.copyOf(discoveryAlternates);
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(nodename, "nodename");
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(stateFolder, "stateFolder");
    advertisedNetworks = List.copyOf(advertisedNetworks);
    Objects.requireNonNull(endpointFilter, "endpointFilter");
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(telemetry, "telemetry");
  }

  /** Every discovery endpoint, in the order the agent tries them. */
  public List<DiscoveryTarget> discoveryEndpoints() {
    List<DiscoveryTarget> all = new java.util.ArrayList<>();
    all.add(discovery);
    all.addAll(discoveryAlternates);
    return List.copyOf(all);
  }
}
