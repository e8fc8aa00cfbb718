package io.spanlog.agent.reconcile;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.status.Harvest;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.agent.status.PeerSamples;
import io.spanlog.agent.status.PeerStatusRound;
import io.spanlog.agent.wireguard.WireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.events.PeerSample;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecSet;
import io.spanlog.peers.PeerSpecs;
import io.spanlog.text.PrintableText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile pass of a node, in KubeSpan's order: peer specs from the affiliates, the device
 * read (endpoint, handshake, counters per peer), the status machine run (endpoint cycling), the
 * whole device applied with the endpoints it chose (peers not in the specs removed), endpoints of
 * up peers harvested, one telemetry sample per peer.
 *
 * <p>It touches only the device; publishing and reporting are {@link AgentPass}'s, from the
 * {@link Outcome}. Blocking (device I/O): run it off the event loop.
 */
public final class ReconcilePass {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcilePass.class);

  /** The fixed inputs of a node's passes. */
  public record Settings(
      WireGuardSecret privateKey, int listenPort, ClusterSecret clusterSecret, boolean harvestExtraEndpoints) {
    /** The node's own public key, which the peer specs leave out. */
    String localPublicKey() {
      return privateKey.publicKey().base64();
    }
  }

  /** What a pass produced. */
  public record Outcome(AgentState state, List<HarvestedEndpoint> harvested, List<PeerSample> samples) {}

  private final Settings settings;
  private final PeerStatusRound statusRound;

  public ReconcilePass(Settings settings, PeerStatusRound statusRound) {
    this.settings = settings;
    this.statusRound = statusRound;
  }

  public Outcome run(AgentState previous, List<AffiliateView> affiliates, WireGuardDevice device, Instant now) {
    return run(previous, PeerSpecs.compute(settings.localPublicKey(), affiliates), device, now);
  }

  /** The pass over specs the caller computed (the agent keeps them in its {@code PeerSpecIndex}). */
  public Outcome run(AgentState previous, PeerSpecSet specs, WireGuardDevice device, Instant now) {
    if (!specs.warnings().equals(previous.specs().warnings())) {
      specs.warnings().forEach(w -> LOG.warn("{}: affiliate {} not a peer: {}", device.name(),
          PrintableText.of(w.affiliateId()), PrintableText.of(w.message())));
    }
    List<PeerSpec> peers = specs.peers();
    var observed = DeviceObservations.of(device.read());
    PeerStatusRound.Outcome round = statusRound.run(previous.statuses(), peers, observed, now);
    round.programReasons().forEach((key, why) -> LOG.info("{}: peer {}: {}", device.name(),
        PrintableText.of(labelOf(peers, key)), PrintableText.of(why)));
    // One apply, with the endpoints just chosen: a new peer gets its endpoint together with its
    // keepalive, so wireguard-go sends the first handshake initiation at once.
    device.apply(DesiredDevice.of(settings.privateKey(), settings.listenPort(), settings.clusterSecret(), peers,
        round.endpointsToProgram()));
    round.statuses().forEach((key, status) -> {
      var before = previous.statuses().get(key);
      if (before != null && before.state() != status.state()) {
        LOG.info("{}: peer {} is {} ({})", device.name(), PrintableText.of(status.label()), status.state().wireName(),
            PrintableText.of(status.rule()));
      }
    });
    List<HarvestedEndpoint> harvested =
        settings.harvestExtraEndpoints() ? Harvest.of(round.statuses(), peers) : List.of();
    List<PeerSample> samples = new ArrayList<>();
    for (PeerSpec spec : peers) {
      samples.add(PeerSamples.of(round.statuses().get(spec.publicKey()), spec));
    }
    var state = new AgentState(specs, round.statuses(), harvested, Optional.of(now));
    return new Outcome(state, harvested, samples);
  }

  private static String labelOf(List<PeerSpec> peers, String key) {
    return peers.stream().filter(p -> p.publicKey().equals(key)).map(PeerSpec::label).findFirst().orElse(key);
  }
}
