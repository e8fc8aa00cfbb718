package io.spanlog.agent.reconcile;

import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.discovery.ClusterView;
import io.spanlog.agent.discovery.DiscoveryClient;
import io.spanlog.agent.discovery.LocalAffiliates;
import io.spanlog.agent.host.HostFacts;
import io.spanlog.agent.identity.LocalNode;
import io.spanlog.agent.status.PeerStatusRound;
import io.spanlog.agent.telemetry.TelemetryReporter;
import io.spanlog.agent.wireguard.WireGuardDevice;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.peers.PeerSpecIndex;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One pass of a running agent, with what it sends out, in KubeSpan's order:
 *
 * <ol>
 *   <li>{@link #publishLocalAffiliate}: the node's affiliate from its addresses now (the client
 *       sends it only when it changed);
 *   <li>the {@link ReconcilePass} over the cluster view: peer specs, device read, status round,
 *       one device apply;
 *   <li>the endpoints harvested for up peers to the discovery service (sent only when changed);
 *   <li>one handshake sample batch to telemetry.
 * </ol>
 *
 * <p>The parts are those running when the pass starts; a pass is made for each run. Blocking
 * (device I/O): the agent runs it on its own thread.
 */
public final class AgentPass {
  private final LocalNode node;
  private final NodeConfig config;
  private final HostFacts host;
  private final WireGuardDevice device;
  private final DiscoveryClient discovery;
  private final TelemetryReporter telemetry;
  private final PeerStatusRound statusRound;

  public AgentPass(LocalNode node, NodeConfig config, HostFacts host, WireGuardDevice device,
      DiscoveryClient discovery, TelemetryReporter telemetry, PeerStatusRound statusRound) {
    this.node = Objects.requireNonNull(node, "node");
    this.config = Objects.requireNonNull(config, "config");
    this.host = Objects.requireNonNull(host, "host");
    this.device = Objects.requireNonNull(device, "device");
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.statusRound = Objects.requireNonNull(statusRound, "statusRound");
  }

  /** Runs the pass from the state the last one left; returns the state this one leaves. */
  public AgentState run(AgentState previous, Instant now) {
    return run(previous, discovery.view(), new PeerSpecIndex(node.identity().publicKey()), now);
  }

  /**
   * The pass over {@code view}, its specs computed in full into {@code index} (the base of the
   * next {@link PeerChangePass}).
   */
  public AgentState run(AgentState previous, ClusterView view, PeerSpecIndex index, Instant now) {
    publishLocalAffiliate(node, config, host, discovery);
    ReconcilePass.Outcome outcome =
        new ReconcilePass(settings(node, config), statusRound).run(previous, index.full(view.affiliates()), device, now);
    discovery.publishHarvested(outcome.harvested());
    // the sample time travels in the batch: a backlog sent on reconnect is appended much later
    telemetry.report(new HandshakeSampleBatch(node.nodeId(), node.identity().publicKey(),
        !discovery.outage(), outcome.samples(), Optional.of(now)));
    return outcome.state();
  }

  /** The fixed inputs of this node's passes. */
  public static ReconcilePass.Settings settings(LocalNode node, NodeConfig config) {
    return new ReconcilePass.Settings(node.identity().privateKey(), config.listenPort(), config.clusterSecret(),
        config.harvestExtraEndpoints());
  }

  /**
   * Hands the client what this node publishes ({@link LocalAffiliates}): its routable addresses on
   * the host now, KubeSpan key and address, advertised networks, and as endpoints those addresses
   * and the public IP the service reported, on the announced port. The client sends it only when it
   * changed.
   */
  public static void publishLocalAffiliate(LocalNode node, NodeConfig config, HostFacts host,
      DiscoveryClient discovery) {
    discovery.publish(LocalAffiliates.build(node.nodeId(), node.hostname(), node.nodename(),
        host.addresses(config.interfaceName()), node.identity().publicKey(), node.identity().address().address(),
        config.advertisedNetworks(), config.endpointFilter(), config.announcedPort(), discovery.publicIp()));
  }
}
