package io.spanlog.console.fleet;

import io.spanlog.events.Envelope;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.NodeReportingAgain;
import io.spanlog.events.NodeSilent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every cluster's links as the endpoint observer's link events say, folded in log order: the
 * latest state of each link (node → peer), the nodes the observer reports silent, and per cluster
 * the counts the fleet page shows. Fed first by a read of the retained link events, then by the
 * live tail; thread-safe.
 *
 * <p>A node's telemetry reaches Kafka through its discovery service, so a node that cannot reach
 * discovery stops reporting: the observer says so with {@code node.silent} (its batches stopped
 * while its cluster's others kept arriving) and {@code node.reporting-again} when its backlog
 * arrives. A node between the two is counted as without discovery (it may also be down: the
 * observer cannot tell until it returns).
 */
public final class FleetState {
  /** A link changing state this many times within {@link #FLAP_WINDOW} is flapping. */
  public static final int FLAP_CHANGES = 3;
  public static final Duration FLAP_WINDOW = Duration.ofMinutes(10);

  /** One link's latest state. */
  public record Link(String cluster, String node, String peer, String nodeKey, String peerKey, String state,
      Optional<String> endpoint, String source, String reason, Instant since) {}

  /** What the fleet page shows for one cluster. */
  public record Summary(String cluster, int nodes, int up, int down, int unknown, int flapping, int asymmetric,
      int withoutDiscovery) {}

  /** What one record changed: a cluster's counts, and the link when it was a link event. */
  public record Change(String cluster, Optional<Link> link) {}

  private final Map<String, Map<String, Link>> links = new TreeMap<>();
  /** cluster → public keys of the nodes reported silent and not heard from since */
  private final Map<String, Set<String>> silent = new TreeMap<>();
  private final Map<String, Deque<Instant>> changes = new HashMap<>();

  /** Folds one record; returns what it changed, if it is a link event or a node's silence or return. */
  public synchronized Optional<Change> apply(Envelope envelope) {
    String cluster = envelope.clusterId();
    if (envelope.payload() instanceof NodeSilent s) {
      silent.computeIfAbsent(cluster, k -> new HashSet<>()).add(s.publicKey());
      return Optional.of(new Change(cluster, Optional.empty()));
    }
    if (envelope.payload() instanceof NodeReportingAgain r) {
      Set<String> of = silent.get(cluster);
      if (of == null || !of.remove(r.publicKey())) {
        return Optional.empty();
      }
      return Optional.of(new Change(cluster, Optional.empty()));
    }
    if (!(envelope.payload() instanceof LinkStateChanged c)) {
      return Optional.empty();
    }
    Map<String, Link> of = links.computeIfAbsent(cluster, k -> new LinkedHashMap<>());
    String id = c.nodePublicKey() + "→" + c.peerPublicKey();
    Link link = new Link(cluster, c.nodeId(), c.peerLabel(), c.nodePublicKey(), c.peerPublicKey(),
        c.to().wireName(), c.endpoint(), c.endpointSource().wireName(), c.reason(), c.firstSampleInNew());
    of.put(id, link);
    Deque<Instant> times = changes.computeIfAbsent(cluster + "\n" + id, k -> new ArrayDeque<>());
    times.addLast(envelope.at());
    while (times.size() > FLAP_CHANGES) {
      times.removeFirst();
    }
    return Optional.of(new Change(cluster, Optional.of(link)));
  }

  public synchronized boolean knows(String cluster) {
    return links.containsKey(cluster) || silent.containsKey(cluster);
  }

  /** The latest state of every link of a cluster (empty if it has no link event). */
  public synchronized List<Link> links(String cluster) {
    return List.copyOf(links.getOrDefault(cluster, Map.of()).values());
  }

  public synchronized Summary summary(String cluster, Instant now) {
    Map<String, Link> of = links.getOrDefault(cluster, Map.of());
    Set<String> cutOff = silent.getOrDefault(cluster, Set.of());
    Set<String> nodes = new HashSet<>(cutOff);
    int up = 0;
    int down = 0;
    int unknown = 0;
    int flapping = 0;
    int asymmetric = 0;
    for (Map.Entry<String, Link> e : of.entrySet()) {
      Link l = e.getValue();
      nodes.add(l.nodeKey());
      nodes.add(l.peerKey());
      switch (l.state()) {
        case "up" -> up++;
        case "down" -> down++;
        default -> unknown++;
      }
      Deque<Instant> times = changes.get(cluster + "\n" + e.getKey());
      if (times != null && times.size() >= FLAP_CHANGES && times.peekFirst().isAfter(now.minus(FLAP_WINDOW))) {
        flapping++;
      }
      Link back = of.get(l.peerKey() + "→" + l.nodeKey());
      if (back != null && !back.state().equals(l.state())) {
        asymmetric++; // counted once per direction: halved below
      }
    }
    return new Summary(cluster, nodes.size(), up, down, unknown, flapping, asymmetric / 2, cutOff.size());
  }

  /**
   * Every cluster, worst first: most links down, then nodes without discovery, asymmetric,
   * flapping, unknown links; then by name.
   */
  public synchronized List<Summary> summaries(Instant now) {
    List<Summary> all = new ArrayList<>();
    Set<String> clusters = new java.util.TreeSet<>(links.keySet());
    clusters.addAll(silent.keySet());
    for (String cluster : clusters) {
      all.add(summary(cluster, now));
    }
    all.sort(Comparator.comparingInt(Summary::down).reversed()
        .thenComparing(Comparator.comparingInt(Summary::withoutDiscovery).reversed())
        .thenComparing(Comparator.comparingInt(Summary::asymmetric).reversed())
        .thenComparing(Comparator.comparingInt(Summary::flapping).reversed())
        .thenComparing(Comparator.comparingInt(Summary::unknown).reversed())
        .thenComparing(Summary::cluster));
    return all;
  }
}
