package io.spanlog.observer.query;

import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.nodes.NodeRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the observer's stores hold for one cluster, read on the instance that owns it. */
public interface ClusterReads {
  List<Map.Entry<LinkKey, LinkRecord>> links(String cluster);

  List<Map.Entry<LinkKey, ReachabilityCell>> cells(String cluster);

  /** The cluster's reporting nodes, by node id. */
  List<Map.Entry<String, NodeRecord>> nodes(String cluster);

  /** The link's closed windows starting within [from, to], oldest first. */
  List<LinkMetricsWindow> windows(LinkKey link, Instant from, Instant to);

  /** The peer-spec drift record of each node judged, by node public key. */
  List<Map.Entry<String, DriftRecord>> drift(String cluster);

  /** The link's latest retained closed window. */
  Optional<LinkMetricsWindow> latestWindow(LinkKey link);
}
