package io.spanlog.agent.config;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which parts of a running agent a config change touches, so a reload (KubeSpan's immediate
 * mode) restarts only those. Everything else a pass reads from the config (listen and announced
 * port, names, networks, filters, harvesting, preshared key) takes effect at the next pass.
 */
public final class ConfigDiff {

  /** Parts of the agent with a life of their own. */
  public enum Part {
    /** Key pair, node id and KubeSpan address: another cluster id or state folder. */
    IDENTITY,
    /** The WireGuard device: another interface or backend. */
    DEVICE,
    /** MTU (the address follows the identity). */
    LINK,
    /** The discovery connection: another endpoint, cluster id or secret. */
    DISCOVERY,
    /** The telemetry reporter: another telemetry mode (discovery changes restart it too). */
    TELEMETRY,
    /** The status machine's clocks and the reconcile timer. */
    TIMINGS,
    /** The local status API's port. */
    STATUS_API,
    /** Anything read afresh at each pass. */
    NEXT_PASS
  }

  private ConfigDiff() {}

  public static Set<Part> between(NodeConfig old, NodeConfig next) {
    Objects.requireNonNull(old, "old");
    Objects.requireNonNull(next, "next");
    Set<Part> parts = EnumSet.noneOf(Part.class);
    if (!old.clusterId().equals(next.clusterId()) || !old.stateFolder().equals(next.stateFolder())) {
      parts.add(Part.IDENTITY);
    }
    if (!old.interfaceName().equals(next.interfaceName()) || old.backend() != next.backend()) {
      parts.add(Part.DEVICE);
    }
    if (old.mtu() != next.mtu()) {
      parts.add(Part.LINK);
    }
    if (!old.discoveryEndpoints().equals(next.discoveryEndpoints()) || !old.clusterId().equals(next.clusterId())
        || !old.clusterSecret().equals(next.clusterSecret())) {
      parts.add(Part.DISCOVERY);
    }
    if (old.telemetry() != next.telemetry()) {
      parts.add(Part.TELEMETRY);
    }
    if (!old.timings().equals(next.timings())) {
      parts.add(Part.TIMINGS);
    }
    if (old.statusApiPort() != next.statusApiPort()) {
      parts.add(Part.STATUS_API);
    }
    if (!old.equals(next)) {
      parts.add(Part.NEXT_PASS);
    }
    return parts;
  }
}
