package io.spanlog.observer.query;

import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.nodes.NodeRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ClusterReads} on lists, for tests without Kafka. */
public final class MemoryReads implements ClusterReads {
  public final List<Map.Entry<LinkKey, LinkRecord>> links = new ArrayList<>();
  public final List<Map.Entry<LinkKey, ReachabilityCell>> cells = new ArrayList<>();
  public final List<Map.Entry<String, NodeRecord>> nodes = new ArrayList<>();
  public final List<Map.Entry<LinkKey, LinkMetricsWindow>> windows = new ArrayList<>();
  public final List<Map.Entry<String, DriftRecord>> drift = new ArrayList<>();

  @Override
  public List<Map.Entry<String, DriftRecord>> drift(String cluster) {
    return drift;
  }

  @Override
  public List<Map.Entry<LinkKey, LinkRecord>> links(String cluster) {
    return links.stream().filter(e -> e.getKey().clusterId().equals(cluster)).toList();
  }

  @Override
  public List<Map.Entry<LinkKey, ReachabilityCell>> cells(String cluster) {
    return cells.stream().filter(e -> e.getKey().clusterId().equals(cluster)).toList();
  }

  @Override
  public List<Map.Entry<String, NodeRecord>> nodes(String cluster) {
    return nodes;
  }

  @Override
  public List<LinkMetricsWindow> windows(LinkKey link, Instant from, Instant to) {
    return windows.stream().filter(e -> e.getKey().equals(link)).map(Map.Entry::getValue)
        .filter(w -> !w.windowStart().isBefore(from) && !w.windowStart().isAfter(to))
        .sorted(Comparator.comparing(LinkMetricsWindow::windowStart)).toList();
  }

  @Override
  public Optional<LinkMetricsWindow> latestWindow(LinkKey link) {
    return windows.stream().filter(e -> e.getKey().equals(link)).map(Map.Entry::getValue)
        .max(Comparator.comparing(LinkMetricsWindow::windowStart));
  }
}
