package io.spanlog.agent.reconcile;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.agent.discovery.ClusterView;
import io.spanlog.agent.status.DeviceObservation;
import io.spanlog.agent.status.Harvest;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.agent.status.PeerStatus;
import io.spanlog.agent.status.PeerStatusRound;
import io.spanlog.agent.status.StatusStep;
import io.spanlog.agent.wireguard.PeerConfig;
import io.spanlog.agent.wireguard.PeerEdits;
import io.spanlog.agent.wireguard.WireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardKey;
import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecIndex;
import io.spanlog.peers.PeerSpecSet;
import io.spanlog.text.PrintableText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Watch change of a few affiliates, applied to those peers only: their specs recomputed
 * ({@link PeerSpecIndex}), the status machine run for them from their last status, and one device
 * edit of just those peers, with no device read before it. The periodic {@link ReconcilePass}
 * stays the whole-device check (fresh read, every peer, telemetry).
 *
 * <p>{@link #decide} answers empty whenever the change cannot be decided from these peers alone,
 * and the caller runs the whole pass instead: more than {@value #MAX_CHANGED} affiliates changed
 * (a new snapshot), a duplicate key or an overlap before or after the change, the last pass's
 * specs are not the index's (the state was reset), or the status machine, judging a changed peer
 * on the last device read, would change its state (that needs a fresh read).
 */
public final class PeerChangePass {
  private static final Logger LOG = LoggerFactory.getLogger(PeerChangePass.class);
  /** Above this many changed affiliates, one whole pass is as cheap and simpler. */
  public static final int MAX_CHANGED = 16;

  /** What the change decided: the new state, and the device edit that carries it out. */
  public record Outcome(AgentState state, PeerEdits edits, Map<String, String> programReasons) {}

  private final ReconcilePass.Settings settings;
  private final PeerStatusRound statusRound;
  private final WireGuardSecret presharedKey;

  public PeerChangePass(ReconcilePass.Settings settings, PeerStatusRound statusRound) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.statusRound = Objects.requireNonNull(statusRound, "statusRound");
    this.presharedKey = WireGuardSecret.of(settings.clusterSecret().keyBytes());
  }

  /**
   * Decides the change from {@code before} (the view the last pass or change used) to {@code
   * after}. Pure apart from the index it advances (on empty, the caller's whole pass resets it).
   */
  public Optional<Outcome> decide(
      AgentState previous, ClusterView before, ClusterView after, PeerSpecIndex index, Instant now) {
    if (index.specs() != previous.specs() || !index.localPublicKey().equals(settings.localPublicKey())) {
      return Optional.empty();
    }
    List<String> changedIds = changedIds(before, after);
    if (changedIds.size() > MAX_CHANGED) {
      return Optional.empty();
    }
    Map<String, PeerSpec> oldByKey = new LinkedHashMap<>();
    for (String id : changedIds) {
      index.peerOf(id).ifPresent(p -> oldByKey.put(p.publicKey(), p));
    }
    for (String id : changedIds) {
      if (index.update(id, after.get(id)).isEmpty()) {
        return Optional.empty();
      }
    }
    PeerSpecSet specs = index.specs();
    Map<String, PeerSpec> newByKey = new LinkedHashMap<>();
    for (String id : changedIds) {
      index.peerOf(id).ifPresent(p -> newByKey.put(p.publicKey(), p));
    }

    var statuses = new TreeMap<>(previous.statuses());
    List<WireGuardKey> removed = new ArrayList<>();
    List<PeerConfig> added = new ArrayList<>();
    List<PeerEdits.Change> changed = new ArrayList<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    for (PeerSpec old : oldByKey.values()) {
      if (!newByKey.containsKey(old.publicKey())) {
        removed.add(WireGuardKey.fromBase64(old.publicKey()));
        statuses.remove(old.publicKey());
      }
    }
    for (PeerSpec spec : newByKey.values()) {
      Optional<PeerStatus> last = Optional.ofNullable(previous.statuses().get(spec.publicKey()));
      PeerSpec old = oldByKey.get(spec.publicKey());
      if (last.isEmpty() || old == null) {
        // a peer the device does not hold yet: it is created with the endpoint just chosen
        StatusStep step = statusRound.step(Optional.empty(), spec, Optional.empty(), now);
        statuses.put(spec.publicKey(), step.status());
        step.programReason().ifPresent(r -> reasons.put(spec.publicKey(), r));
        added.add(DesiredDevice.peer(presharedKey, spec, step.endpointToProgram()));
        continue;
      }
      // the device as the last read saw it: a state change would need a fresh read, so the whole pass decides it
      PeerStatus status = last.get();
      var asLastRead = new DeviceObservation(status.endpoint(), status.lastHandshake(), status.rxBytes(), status.txBytes());
      StatusStep step = statusRound.step(last, spec, Optional.of(asLastRead), now);
      if (step.status().state() != status.state()) {
        return Optional.empty();
      }
      statuses.put(spec.publicKey(), step.status());
      step.programReason().ifPresent(r -> reasons.put(spec.publicKey(), r));
      PeerConfig programmed = DesiredDevice.peer(presharedKey, old,
          status.endpoint());
      changed.add(new PeerEdits.Change(programmed, DesiredDevice.peer(presharedKey, spec, step.endpointToProgram())));
    }
    Set<String> changedKeys = new HashSet<>(oldByKey.keySet());
    changedKeys.addAll(newByKey.keySet());
    List<HarvestedEndpoint> harvested = settings.harvestExtraEndpoints()
        ? Harvest.replacing(previous.harvested(), changedKeys, statuses, newByKey.values())
        : List.of();
    var state = new AgentState(specs, statuses, harvested, previous.reconciledAt());
    return Optional.of(new Outcome(state, new PeerEdits(removed, added, changed), reasons));
  }

  /** {@link #decide}, then the one device edit; empty (nothing written) when the whole pass must run. */
  public Optional<Outcome> run(
      AgentState previous, ClusterView before, ClusterView after, PeerSpecIndex index, WireGuardDevice device,
      Instant now) {
    Optional<Outcome> outcome = decide(previous, before, after, index, now);
    if (outcome.isEmpty()) {
      return outcome;
    }
    Outcome o = outcome.get();
    device.edit(o.edits());
    o.programReasons().forEach((key, why) -> LOG.info("{}: peer {}: {}", device.name(),
        PrintableText.of(o.state().statuses().get(key).label()), PrintableText.of(why)));
    return outcome;
  }

  /**
   * Affiliate ids added, changed or removed, in id order. Both views are sorted by id and an
   * unchanged entry is the same object in both, so one walk over the two with identity tests
   * finds them (a string comparison only where the ids differ).
   */
  static List<String> changedIds(ClusterView before, ClusterView after) {
    List<String> out = new ArrayList<>();
    Iterator<Map.Entry<String, AffiliateView>> b = before.byId().entrySet().iterator();
    Iterator<Map.Entry<String, AffiliateView>> a = after.byId().entrySet().iterator();
    Map.Entry<String, AffiliateView> x = b.hasNext() ? b.next() : null;
    Map.Entry<String, AffiliateView> y = a.hasNext() ? a.next() : null;
    while (x != null || y != null) {
      int order = x == null ? 1 : y == null ? -1 : x.getKey() == y.getKey() ? 0 : x.getKey().compareTo(y.getKey());
      if (order < 0) { // gone
        out.add(x.getKey());
        x = b.hasNext() ? b.next() : null;
      } else if (order > 0) { // new
        out.add(y.getKey());
        y = a.hasNext() ? a.next() : null;
      } else {
        if (!Objects.equals(x.getValue(), y.getValue())) {
          out.add(y.getKey());
        }
        x = b.hasNext() ? b.next() : null;
        y = a.hasNext() ? a.next() : null;
      }
    }
    return out;
  }
}
