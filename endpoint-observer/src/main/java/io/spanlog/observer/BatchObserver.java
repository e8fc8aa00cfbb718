package io.spanlog.observer;

import io.spanlog.events.EndpointObserved;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.ReachabilityChanged;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.drift.DriftWatch;
import io.spanlog.observer.intake.TelemetryBatch;
import io.spanlog.observer.links.FlapWatch;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.links.LinkStateTracker;
import io.spanlog.observer.links.ProvenEndpoints;
import io.spanlog.observer.metrics.CounterDelta;
import io.spanlog.observer.metrics.MetricWindows;
import io.spanlog.observer.metrics.WindowKey;
import io.spanlog.observer.metrics.WindowTally;
import io.spanlog.observer.nodes.ClusterClock;
import io.spanlog.observer.nodes.NodePresence;
import io.spanlog.observer.nodes.NodeRecord;
import io.spanlog.observer.reachability.AsymmetryWatch;
import io.spanlog.observer.reachability.ReachabilityCell;
import io.spanlog.peers.PeerSpecSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One batch through the observer, as a sequence of named steps over {@link ObserverState}: the
 * cluster's clocks, the node's presence, each listed link (state, metrics, endpoint proof,
 * flapping, reachability and asymmetry), the links the node no longer lists, the node's peer
 * specs against its device (drift), silent nodes, and the metric windows the batch closed. Pure: no Kafka, no clock of its own; the events come out
 * in a fixed order, with ids derived from the source record.
 */
public final class BatchObserver {
  private final ObserverSettings settings;
  private final NodePresence presence;
  private final FlapWatch flaps;
  private final AsymmetryWatch asymmetry;
  private final MetricWindows windows;
  private final DriftWatch drift;

  /** A node's expected peer specs, when they can be known (its cluster's secret, its affiliate). */
  @FunctionalInterface
  public interface PeerExpectations {
    /** Nothing is expected: no drift is judged. */
    PeerExpectations NONE = (cluster, nodeId, nodePublicKey) -> Optional.empty();

    Optional<PeerSpecSet> expected(String clusterId, String nodeId, String nodePublicKey);
  }

  public BatchObserver(ObserverSettings settings) {
    this.settings = settings;
    this.presence = new NodePresence(settings.silentAfter());
    this.flaps = new FlapWatch(settings.flapChanges(), settings.flapWindow(), settings.flapQuiet());
    this.asymmetry = new AsymmetryWatch(settings.asymmetricAfter());
    this.windows = new MetricWindows(settings.metricsWindow(), settings.metricsGrace());
    this.drift = new DriftWatch(settings.driftGrace());
  }

  public List<Derived> observe(SourceRef source, TelemetryBatch b, ObserverState state) {
    return observe(source, b, state, PeerExpectations.NONE);
  }

  public List<Derived> observe(SourceRef source, TelemetryBatch b, ObserverState state,
      PeerExpectations expectations) {
    Pass pass = new Pass(source, b, state);
    pass.advanceClock();
    boolean newest = pass.notePresence();
    Set<String> listed = pass.observeListedLinks();
    if (newest) {
      pass.forgetUnlistedLinks(listed);
      pass.judgeDrift(expectations);
    }
    pass.checkSilence();
    pass.closeWindows();
    state.putClock(b.clusterId(), pass.clock);
    return pass.out;
  }

  /** The work on one batch. */
  private final class Pass {
    final SourceRef source;
    final TelemetryBatch b;
    final HandshakeSampleBatch batch;
    final String cluster;
    final Instant at;
    final ObserverState s;
    final List<Derived> out = new ArrayList<>();
    Optional<ClusterClock> before;
    ClusterClock clock;

    Pass(SourceRef source, TelemetryBatch b, ObserverState s) {
      this.source = source;
      this.b = b;
      this.batch = b.batch();
      this.cluster = b.clusterId();
      this.at = b.sampledAt();
      this.s = s;
    }

    void advanceClock() {
      before = s.clock(cluster);
      clock =
          before
              .map(c -> c.advance(at, b.arrivedAt()))
              .orElseGet(() -> ClusterClock.start(at, b.arrivedAt()));
    }

    /** Whether this is the node's newest batch (not an old one delivered after a newer). */
    boolean notePresence() {
      Optional<NodeRecord> prev = s.node(cluster, batch.nodeId());
      NodePresence.Step step = presence.onBatch(prev, b);
      s.putNode(cluster, batch.nodeId(), step.next());
      step.back().ifPresent(e -> emit(batch.nodeId(), b.arrivedAt(), e));
      return prev.isEmpty() || !at.isBefore(prev.get().lastSampledAt());
    }

    Set<String> observeListedLinks() {
      Set<String> listed = new HashSet<>();
      for (PeerSample sample : batch.peers()) {
        if (listed.add(sample.publicKey())) {
          observeLink(new LinkKey(cluster, batch.publicKey(), sample.publicKey()), sample);
        }
      }
      return listed;
    }

    void observeLink(LinkKey key, PeerSample sample) {
      Optional<LinkRecord> prev = s.link(key);
      LinkStateTracker.Step step = LinkStateTracker.observe(key, prev, batch.nodeId(), sample, at);
      if (step.stale()) {
        if (at.isBefore(prev.orElseThrow().lastSampleAt())) {
          dropLate(key, prev.get()); // an old sample after a newer one; an equal one is a duplicate
        }
        return;
      }
      LinkRecord next = step.next();
      String subject = batch.nodeId() + "/" + sample.label();
      count(key, next, step.baseline()
          ? CounterDelta.NONE
          : CounterDelta.between(prev.get().rxBytes(), prev.get().txBytes(), sample.rxBytes(),
              sample.txBytes()));
      step.change().ifPresent(e -> emit(subject, at, e));
      if (step.upThroughNewEndpoint()) {
        proveEndpoint(key, next, subject);
      }
      FlapWatch.Step flap = flaps.afterSample(
          key, next, next.flaps(), step.change().filter(FlapWatch::countsAsFlap).isPresent(), at);
      flap.event().ifPresent(e -> emit(subject, at, e));
      s.putLink(key, next.withFlaps(flap.next()));
      updateMatrix(key, next, subject);
    }

    void count(LinkKey key, LinkRecord link, CounterDelta delta) {
      Instant start = windows.windowStart(at);
      if (windows.closed(start, clock.latestSampledAt())) {
        dropLate(key, link);
        return;
      }
      WindowKey wk = new WindowKey(key, start);
      WindowTally t = s.window(wk).orElseGet(() -> WindowTally.empty(link.nodeId(), link.peerLabel()));
      s.putWindow(wk, t.add(delta));
    }

    /** Counted in the link's window at the cluster's current sample time, which is open. */
    void dropLate(LinkKey key, LinkRecord link) {
      WindowKey wk = new WindowKey(key, windows.windowStart(clock.latestSampledAt()));
      WindowTally t = s.window(wk).orElseGet(() -> WindowTally.empty(link.nodeId(), link.peerLabel()));
      s.putWindow(wk, t.dropped());
    }

    void proveEndpoint(LinkKey key, LinkRecord link, String subject) {
      String endpoint = link.endpoint().orElseThrow();
      ProvenEndpoints proven = s.proven(cluster, key.peerPublicKey());
      if (proven.contains(endpoint)) {
        return;
      }
      s.putProven(cluster, key.peerPublicKey(), proven.with(endpoint, settings.provenEndpointsPerPeer()));
      emit(subject, at, new EndpointObserved(link.nodeId(), key.nodePublicKey(), key.peerPublicKey(),
          link.peerLabel(), endpoint, link.endpointSource(), at));
    }

    void updateMatrix(LinkKey key, LinkRecord link, String subject) {
      Optional<ReachabilityCell> old = s.cell(key);
      ReachabilityCell cell =
          new ReachabilityCell(link.nodeId(), link.peerLabel(), link.state(), link.stateSince(),
              old.flatMap(ReachabilityCell::asymmetricSince));
      if (old.isEmpty() || old.get().state() != cell.state()) {
        emit(subject, at, new ReachabilityChanged(link.nodeId(), key.nodePublicKey(),
            key.peerPublicKey(), link.peerLabel(), old.map(ReachabilityCell::state),
            Optional.of(cell.state()), cell.since()));
      }
      Optional<ReachabilityCell> reverse = s.cell(key.reverse());
      AsymmetryWatch.Step checked = asymmetry.check(key, cell, reverse, at);
      checked.event().ifPresent(e -> emit(subject, at, e));
      if (old.isEmpty() || !old.get().equals(checked.cell())) {
        s.putCell(key, checked.cell());
      }
      if (reverse.isPresent()) {
        AsymmetryWatch.Step rechecked =
            asymmetry.recheckReverse(key, reverse.get(), Optional.of(checked.cell()), at);
        if (rechecked.event().isPresent()) {
          ReachabilityCell r = rechecked.cell();
          emit(r.nodeId() + "/" + r.peerLabel(), at, rechecked.event().get());
          s.putCell(key.reverse(), r);
        }
      }
    }

    void forgetUnlistedLinks(Set<String> listed) {
      for (Map.Entry<LinkKey, LinkRecord> e : s.linksOf(cluster, batch.publicKey())) {
        LinkKey key = e.getKey();
        if (listed.contains(key.peerPublicKey())) {
          continue;
        }
        LinkRecord link = e.getValue();
        String subject = link.nodeId() + "/" + link.peerLabel();
        flaps.onRemoval(key, link, at).ifPresent(ev -> emit(subject, at, ev));
        s.removeLink(key);
        Optional<ReachabilityCell> cell = s.cell(key);
        if (cell.isPresent()) {
          asymmetry.onRemoval(key, cell.get(), s.cell(key.reverse()), at)
              .ifPresent(ev -> emit(subject, at, ev));
          s.removeCell(key);
          emit(subject, at, new ReachabilityChanged(link.nodeId(), key.nodePublicKey(),
              key.peerPublicKey(), link.peerLabel(), Optional.of(cell.get().state()),
              Optional.empty(), at));
        }
      }
    }

    /** The node's device (its samples) against the peer specs discovery gives it. */
    void judgeDrift(PeerExpectations expectations) {
      Optional<PeerSpecSet> expected =
          expectations.expected(cluster, batch.nodeId(), batch.publicKey());
      if (expected.isEmpty()) {
        return;
      }
      Optional<DriftRecord> prev = s.drift(cluster, batch.publicKey());
      DriftWatch.Step step = drift.judge(prev, batch.nodeId(), batch.publicKey(), expected.get(),
          batch.peers(), at);
      if (prev.isEmpty() || !prev.get().equals(step.next())) {
        s.putDrift(cluster, batch.publicKey(), step.next());
      }
      step.event().ifPresent(e -> emit(batch.nodeId(), at, e));
    }

    void checkSilence() {
      if (!clock.silenceCheckDue()) {
        return;
      }
      Instant now = clock.latestArrivedAt();
      for (Map.Entry<String, NodeRecord> e : s.nodesOf(cluster)) {
        presence.check(e.getKey(), e.getValue(), now).ifPresent(silent -> {
          s.putNode(cluster, e.getKey(), e.getValue().asSilent());
          emit(e.getKey(), now, silent);
        });
      }
      clock = clock.withNextSilenceCheck(now.plus(settings.silenceCheckEvery()));
    }

    void closeWindows() {
      Instant upTo = windows.closedUpTo(clock.latestSampledAt());
      if (before.isPresent() && !upTo.isAfter(windows.closedUpTo(before.get().latestSampledAt()))) {
        return; // no window boundary crossed: nothing new closed
      }
      for (Map.Entry<WindowKey, WindowTally> e : s.windowsUpTo(cluster, upTo)) {
        WindowKey key = e.getKey();
        WindowTally t = e.getValue();
        windows.toEvent(key, t).ifPresent(w ->
            add(Derived.Output.LINK_METRICS, t.nodeId() + "/" + t.peerLabel(), w.windowEnd(), w));
        s.removeWindow(key);
      }
    }

    void emit(String subject, Instant eventTime, Event payload) {
      add(Derived.Output.LINK_EVENTS, subject, eventTime, payload);
    }

    void add(Derived.Output output, String subject, Instant eventTime, Event payload) {
      Envelope env = new Envelope(source.derivedId(out.size()), cluster, subject, eventTime,
          settings.producer(), payload);
      out.add(new Derived(output, env));
    }
  }
}
