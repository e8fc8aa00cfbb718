package io.spanlog.observer.drift;

import io.spanlog.events.Event;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerSpecDiscrepancy;
import io.spanlog.events.PeerSpecDiscrepancy.Kind;
import io.spanlog.events.PeerSpecDrift;
import io.spanlog.events.PeerSpecDriftCleared;
import io.spanlog.net.Endpoint;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Peer-spec drift of one node: its batch's samples (one per peer in its device, with the endpoint
 * in use) against the peer specs its cluster's discovery state gives it. A discrepancy is normal
 * propagation until it has lasted {@code grace} (a join reaches agents within seconds and they
 * reconcile every 30 s); then the node drifts ({@link PeerSpecDrift}, again when the set of
 * lasting discrepancies changes) until a batch matches its specs ({@link PeerSpecDriftCleared}).
 * Pure: the time is the batch's sample time.
 */
public final class DriftWatch {
  private static final Comparator<PeerSpecDiscrepancy> ORDER =
      Comparator.comparing(PeerSpecDiscrepancy::peerLabel)
          .thenComparing(PeerSpecDiscrepancy::peerPublicKey)
          .thenComparing(PeerSpecDiscrepancy::kind)
          .thenComparing(d -> d.endpoint().orElse(""));

  private final Duration grace;

  public DriftWatch(Duration grace) {
    this.grace = Objects.requireNonNull(grace, "grace");
  }

  /** The node's record after a batch, and what to report. */
  public record Step(DriftRecord next, Optional<Event> event) {}

  /**
   * Judges a node's batch, the newest it sent.
   *
   * @param expected the node's peer specs as its cluster's discovery state gives them
   * @param samples the batch's samples
   * @param at the batch's sample time
   */
  public Step judge(Optional<DriftRecord> prev, String nodeId, String nodePublicKey,
      PeerSpecSet expected, List<PeerSample> samples, Instant at) {
    List<PeerSpecDiscrepancy> open = new ArrayList<>();
    for (PeerSpecDiscrepancy now : discrepancies(expected, samples, at)) {
      Instant since = prev.stream().flatMap(p -> p.open().stream()).filter(now::sameAs)
          .map(PeerSpecDiscrepancy::since).findFirst().orElse(at);
      open.add(withSince(now, since));
    }
    open.sort(ORDER);
    List<PeerSpecDiscrepancy> lasting = open.stream()
        .filter(d -> Duration.between(d.since(), at).compareTo(grace) >= 0).toList();
    Optional<Instant> wasSince = prev.flatMap(DriftRecord::driftingSince);
    if (lasting.isEmpty()) {
      DriftRecord next = new DriftRecord(nodeId, at, open, List.of(), Optional.empty());
      Optional<Event> cleared = wasSince.map(since ->
          new PeerSpecDriftCleared(nodeId, nodePublicKey, since, at, Duration.between(since, at)));
      return new Step(next, cleared);
    }
    Instant since = wasSince.orElseGet(() ->
        lasting.stream().map(PeerSpecDiscrepancy::since).min(Comparator.naturalOrder()).orElseThrow());
    DriftRecord next = new DriftRecord(nodeId, at, open, lasting, Optional.of(since));
    boolean same = prev.isPresent() && sameSet(prev.get().reported(), lasting);
    return new Step(next, same ? Optional.empty()
        : Optional.of(new PeerSpecDrift(nodeId, nodePublicKey, lasting, since, Duration.between(since, at))));
  }

  /** How the samples differ from the specs, each as first seen now. */
  static List<PeerSpecDiscrepancy> discrepancies(PeerSpecSet expected, List<PeerSample> samples,
      Instant at) {
    Map<String, PeerSample> byKey = new HashMap<>();
    samples.forEach(s -> byKey.putIfAbsent(s.publicKey(), s));
    Map<String, PeerSpec> specs = new HashMap<>();
    List<PeerSpecDiscrepancy> out = new ArrayList<>();
    for (PeerSpec spec : expected.peers()) {
      specs.put(spec.publicKey(), spec);
      PeerSample s = byKey.get(spec.publicKey());
      if (s == null) {
        out.add(new PeerSpecDiscrepancy(Kind.MISSING_PEER, spec.publicKey(), spec.label(),
            Optional.empty(), at));
      } else if (s.endpoint().isPresent() && !isCandidate(spec, s.endpoint().get())) {
        out.add(new PeerSpecDiscrepancy(Kind.ENDPOINT_NOT_A_CANDIDATE, spec.publicKey(),
            spec.label(), s.endpoint(), at));
      }
    }
    for (PeerSample s : byKey.values()) {
      if (!specs.containsKey(s.publicKey())) {
        out.add(new PeerSpecDiscrepancy(Kind.UNEXPECTED_PEER, s.publicKey(), s.label(),
            Optional.empty(), at));
      }
    }
    return out;
  }

  /** The agent writes endpoints as {@link Endpoint#toString()}; compare parsed, so [::1] forms agree. */
  private static boolean isCandidate(PeerSpec spec, String endpoint) {
    try {
      return spec.candidate(Endpoint.parse(endpoint)).isPresent();
    } catch (IllegalArgumentException notAnEndpoint) {
      return false;
    }
  }

  private static PeerSpecDiscrepancy withSince(PeerSpecDiscrepancy d, Instant since) {
    return new PeerSpecDiscrepancy(d.kind(), d.peerPublicKey(), d.peerLabel(), d.endpoint(), since);
  }

  private static boolean sameSet(List<PeerSpecDiscrepancy> a, List<PeerSpecDiscrepancy> b) {
    return a.size() == b.size() && a.stream().allMatch(x -> b.stream().anyMatch(x::sameAs));
  }
}
