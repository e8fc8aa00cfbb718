package io.spanlog.observer.query;

import io.spanlog.events.PeerState;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.nodes.NodeRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import io.spanlog.observer.topology.StoreKeys;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts per cluster over what an instance holds: what the gauges of its metrics show. */
public final class Census {
  private Census() {}

  /**
   * One cluster's counts.
   *
   * @param linksByState links by current state (every state present, zero if none)
   * @param flapping links reported flapping and not yet all-clear
   * @param asymmetric directions reported up against a peer that does not see them up
   * @param nodes nodes that have reported
   * @param silent nodes reported silent and not heard from since
   * @param withoutDiscovery nodes whose latest batch said their discovery service did not answer
   * @param drifting nodes whose device differs from their expected peer specs past the grace
   */
  public record Counts(Map<PeerState, Integer> linksByState, int flapping, int asymmetric,
      int nodes, int silent, int withoutDiscovery, int drifting) {}

  /** As {@link #of(List, List, List, List)} with no drift record. */
  public static Map<String, Counts> of(List<Map.Entry<LinkKey, LinkRecord>> links,
      List<Map.Entry<LinkKey, ReachabilityCell>> cells, List<Map.Entry<String, NodeRecord>> nodes) {
    return of(links, cells, nodes, List.of());
  }

  /**
   * @param nodes keyed by their store key (cluster, node id)
   * @param drift keyed by their store key (cluster, node key)
   */
  public static Map<String, Counts> of(List<Map.Entry<LinkKey, LinkRecord>> links,
      List<Map.Entry<LinkKey, ReachabilityCell>> cells, List<Map.Entry<String, NodeRecord>> nodes,
      List<Map.Entry<String, DriftRecord>> drift) {
    Map<String, int[]> n = new TreeMap<>();
    Map<String, Map<PeerState, Integer>> states = new TreeMap<>();
    for (Map.Entry<LinkKey, LinkRecord> e : links) {
      String c = e.getKey().clusterId();
      states.computeIfAbsent(c, k -> zeros()).merge(e.getValue().state(), 1, Integer::sum);
      if (e.getValue().flaps().flappingSince().isPresent()) {
        row(n, c)[0]++;
      }
    }
    for (Map.Entry<LinkKey, ReachabilityCell> e : cells) {
      if (e.getValue().asymmetricSince().isPresent()) {
        row(n, e.getKey().clusterId())[1]++;
      }
    }
    for (Map.Entry<String, NodeRecord> e : nodes) {
      int[] r = row(n, StoreKeys.clusterOf(e.getKey()));
      r[2]++;
      r[3] += e.getValue().silent() ? 1 : 0;
      r[4] += e.getValue().lastDiscoveryReachable() ? 0 : 1;
    }
    for (Map.Entry<String, DriftRecord> e : drift) {
      if (e.getValue().drifting()) {
        row(n, StoreKeys.clusterOf(e.getKey()))[5]++;
      }
    }
    Map<String, Counts> out = new TreeMap<>();
    for (String c : union(n, states)) {
      int[] r = row(n, c);
      out.put(c, new Counts(Map.copyOf(states.getOrDefault(c, zeros())), r[0], r[1], r[2], r[3],
          r[4], r[5]));
    }
    return out;
  }

  private static int[] row(Map<String, int[]> n, String cluster) {
    return n.computeIfAbsent(cluster, k -> new int[6]);
  }

  private static Map<PeerState, Integer> zeros() {
    Map<PeerState, Integer> m = new EnumMap<>(PeerState.class);
    for (PeerState s : PeerState.values()) {
      m.put(s, 0);
    }
    return m;
  }

  private static java.util.Set<String> union(Map<String, ?> a, Map<String, ?> b) {
    java.util.Set<String> s = new java.util.TreeSet<>(a.keySet());
    s.addAll(b.keySet());
    return s;
  }
}
