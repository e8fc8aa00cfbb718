package io.spanlog.console.fleet;

import io.spanlog.events.Envelope;
import io.spanlog.events.LinkStateChanged;
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
 * latest state of each link (node → peer), and per cluster the counts the fleet page shows. Fed
 * first by a read of the retained link events, then by the live tail; thread-safe.
 */
public final class FleetState {
  /** A link changing state this many times within {@link #FLAP_WINDOW} is flapping. */
  public static final int FLAP_CHANGES = 3;
  public static final Duration FLAP_WINDOW = Duration.ofMinutes(10);

  /** One link's latest state. */
  public record Link(String cluster, String node, String peer, String nodeKey, String peerKey, String state,
      Optional<String> endpoint, String source, String reason, Instant since) {}

  /** What the fleet page shows for one cluster. */
  public record Summary(String cluster, int nodes, int up, int down, int unknown, int flapping, int asymmetric) {}

  private final Map<String, Map<String, Link>> links = new TreeMap<>();
  private final Map<String, Deque<Instant>> changes = new HashMap<>();

  /** Folds one record; returns the link it changed, if it is a link event. */
  public synchronized Optional<Link> apply(Envelope envelope) {
    if (!(envelope.payload() instanceof LinkStateChanged c)) {
      return Optional.empty();
    }
    String cluster = envelope.clusterId();
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
    return Optional.of(link);
  }

  public synchronized boolean knows(String cluster) {
    return links.containsKey(cluster);
  }

  /** The latest state of every link of a cluster (empty if it has no link event). */
  public synchronized List<Link> links(String cluster) {
    return List.copyOf(links.getOrDefault(cluster, Map.of()).values());
  }

  public synchronized Summary summary(String cluster, Instant now) {
    Map<String, Link> of = links.getOrDefault(cluster, Map.of());
    Set<String> nodes = new HashSet<>();
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
    return new Summary(cluster, nodes.size(), up, down, unknown, flapping, asymmetric / 2);
  }

  /** Every cluster, worst first: most links down, then asymmetric, flapping, unknown; then by name. */
  public synchronized List<Summary> summaries(Instant now) {
    List<Summary> all = new ArrayList<>();
    for (String cluster : links.keySet()) {
      all.add(summary(cluster, now));
    }
    all.sort(Comparator.comparingInt(Summary::down).reversed()
        .thenComparing(Comparator.comparingInt(Summary::asymmetric).reversed())
        .thenComparing(Comparator.comparingInt(Summary::flapping).reversed())
        .thenComparing(Comparator.comparingInt(Summary::unknown).reversed())
        .thenComparing(Summary::cluster));
    return all;
  }
}
