package io.spanlog.observer;

import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.links.ProvenEndpoints;
import io.spanlog.observer.metrics.WindowKey;
import io.spanlog.observer.metrics.WindowTally;
import io.spanlog.observer.nodes.ClusterClock;
import io.spanlog.observer.nodes.NodeRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the observer remembers between batches, as the {@link BatchObserver} sees it: the
 * topology backs it with named Kafka Streams stores, tests with maps. Scans return a copy, so the
 * caller may change the state while going through one.
 */
public interface ObserverState {
  Optional<LinkRecord> link(LinkKey key);

  void putLink(LinkKey key, LinkRecord link);

  void removeLink(LinkKey key);

  /** The links of one node, ordered by peer key encoding. */
  List<Map.Entry<LinkKey, LinkRecord>> linksOf(String clusterId, String nodePublicKey);

  Optional<ReachabilityCell> cell(LinkKey key);

  void putCell(LinkKey key, ReachabilityCell cell);

  void removeCell(LinkKey key);

  ProvenEndpoints proven(String clusterId, String peerPublicKey);

  void putProven(String clusterId, String peerPublicKey, ProvenEndpoints proven);

  Optional<NodeRecord> node(String clusterId, String nodeId);

  void putNode(String clusterId, String nodeId, NodeRecord node);

  /** The nodes of a cluster, by node id. */
  List<Map.Entry<String, NodeRecord>> nodesOf(String clusterId);

  Optional<ClusterClock> clock(String clusterId);

  void putClock(String clusterId, ClusterClock clock);

  Optional<WindowTally> window(WindowKey key);

  void putWindow(WindowKey key, WindowTally tally);

  void removeWindow(WindowKey key);

  /** The open windows of a cluster starting at or before {@code lastStart}, oldest first. */
  List<Map.Entry<WindowKey, WindowTally>> windowsUpTo(String clusterId, Instant lastStart);

  /** A node's peer-spec drift record, by its public key. */
  Optional<DriftRecord> drift(String clusterId, String nodePublicKey);

  void putDrift(String clusterId, String nodePublicKey, DriftRecord drift);
}
