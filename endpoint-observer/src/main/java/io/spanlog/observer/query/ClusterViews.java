package io.spanlog.observer.query;

import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.PeerSpecDiscrepancy;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The read API's views of one cluster, from what the observer's stores hold for it: pure, so
 * they are tested with plain lists.
 */
public final class ClusterViews {
  private ClusterViews() {}

  /**
   * Every link of a cluster.
   *
   * @param links the cluster's links
   * @param cells the cluster's reachability cells (for asymmetry)
   * @param latestWindow a link's latest closed metric window, if one is retained
   */
  public static Answers.Links links(String cluster, List<Map.Entry<LinkKey, LinkRecord>> links,
      List<Map.Entry<LinkKey, ReachabilityCell>> cells,
      Function<LinkKey, Optional<LinkMetricsWindow>> latestWindow) {
    Map<String, String> names = names(links);
    Map<LinkKey, ReachabilityCell> byLink = new HashMap<>();
    cells.forEach(e -> byLink.put(e.getKey(), e.getValue()));
    List<LinkView> out = new ArrayList<>(links.size());
    for (Map.Entry<LinkKey, LinkRecord> e : links) {
      LinkKey k = e.getKey();
      LinkRecord r = e.getValue();
      Optional<LinkMetricsWindow> w = latestWindow.apply(k);
      out.add(new LinkView(
          names.getOrDefault(k.nodePublicKey(), r.nodeId()), r.nodeId(), k.nodePublicKey(),
          r.peerLabel(), k.peerPublicKey(), r.state(), r.stateSince(), r.stateStartSeen(),
          r.lastSampleAt(), r.endpoint(), r.endpointSource(), r.rule(),
          w.map(LinkMetricsWindow::rxBytesPerSecond), w.map(LinkMetricsWindow::txBytesPerSecond),
          w.map(LinkMetricsWindow::windowStart), r.flaps().recentChanges().size(),
          r.flaps().flappingSince(),
          Optional.ofNullable(byLink.get(k)).flatMap(ReachabilityCell::asymmetricSince)));
    }
    out.sort(Comparator.comparing(LinkView::nodeName).thenComparing(LinkView::peerName)
        .thenComparing(LinkView::nodePublicKey).thenComparing(LinkView::peerPublicKey));
    return new Answers.Links(cluster, out);
  }

  /** The reachability matrix of a cluster. */
  public static Answers.Matrix matrix(String cluster,
      List<Map.Entry<LinkKey, ReachabilityCell>> cells) {
    Map<String, String> names = new HashMap<>();
    for (Map.Entry<LinkKey, ReachabilityCell> e : cells) {
      names.put(e.getKey().peerPublicKey(), e.getValue().peerLabel()); // as its peers call it
    }
    for (Map.Entry<LinkKey, ReachabilityCell> e : cells) {
      names.putIfAbsent(e.getKey().nodePublicKey(), e.getValue().nodeId());
    }
    TreeMap<String, Answers.MatrixNode> nodes = new TreeMap<>();
    names.forEach((key, name) -> nodes.put(name + "\0" + key, new Answers.MatrixNode(name, key)));
    List<Answers.MatrixCell> out = new ArrayList<>(cells.size());
    for (Map.Entry<LinkKey, ReachabilityCell> e : cells) {
      ReachabilityCell c = e.getValue();
      out.add(new Answers.MatrixCell(e.getKey().nodePublicKey(), e.getKey().peerPublicKey(),
          c.state(), c.since(), c.asymmetricSince()));
    }
    out.sort(Comparator.comparing((Answers.MatrixCell c) -> names.get(c.fromPublicKey()))
        .thenComparing(c -> names.get(c.toPublicKey()))
        .thenComparing(Answers.MatrixCell::fromPublicKey)
        .thenComparing(Answers.MatrixCell::toPublicKey));
    return new Answers.Matrix(cluster, List.copyOf(nodes.values()), out);
  }

  /** What {@code /v1/drift} says of a cluster whose secret this observer does not hold. */
  public static final String NEEDS_SECRET = "peer-spec drift needs the cluster's secret: without it"
      + " the observer cannot decrypt the cluster's affiliates, so it knows no expected peer spec"
      + " (add a file naming the cluster to the observer's --secrets directory)";

  /**
   * Each judged node's drift.
   *
   * @param secretRegistered whether this observer holds the cluster's secret
   * @param drift the cluster's drift records by node public key
   * @param links the cluster's links, for node names as peers label them
   */
  public static Answers.Drift drift(String cluster, boolean secretRegistered, Duration grace,
      List<Map.Entry<String, DriftRecord>> drift, List<Map.Entry<LinkKey, LinkRecord>> links) {
    Map<String, String> names = names(links);
    List<Answers.DriftNode> nodes = new ArrayList<>(drift.size());
    for (Map.Entry<String, DriftRecord> e : drift) {
      DriftRecord r = e.getValue();
      List<PeerSpecDiscrepancy> pending = r.open().stream()
          .filter(d -> r.reported().stream().noneMatch(d::sameAs)).toList();
      nodes.add(new Answers.DriftNode(names.getOrDefault(e.getKey(), r.nodeId()), r.nodeId(),
          e.getKey(), r.driftingSince(), r.lastSampledAt(), r.reported(), pending));
    }
    nodes.sort(Comparator.comparing((Answers.DriftNode n) -> n.driftingSince().isEmpty())
        .thenComparing(Answers.DriftNode::nodeName).thenComparing(Answers.DriftNode::nodePublicKey));
    int drifting = (int) nodes.stream().filter(n -> n.driftingSince().isPresent()).count();
    return new Answers.Drift(cluster, secretRegistered,
        secretRegistered ? Optional.empty() : Optional.of(NEEDS_SECRET), grace, drifting, nodes);
  }

  /**
   * The public key a user named a node by: its key itself, its affiliate id, or its name as its
   * peers label it. Empty when no link of the cluster knows it.
   */
  public static Optional<String> resolve(String typed, List<Map.Entry<LinkKey, LinkRecord>> links) {
    Optional<String> byKey = links.stream()
        .flatMap(e -> java.util.stream.Stream.of(e.getKey().nodePublicKey(),
            e.getKey().peerPublicKey()))
        .filter(typed::equals).findFirst();
    if (byKey.isPresent()) {
      return byKey;
    }
    for (Map.Entry<LinkKey, LinkRecord> e : links) {
      if (e.getValue().nodeId().equals(typed)) {
        return Optional.of(e.getKey().nodePublicKey());
      }
    }
    for (Map.Entry<LinkKey, LinkRecord> e : links) {
      if (e.getValue().peerLabel().equals(typed)) {
        return Optional.of(e.getKey().peerPublicKey());
      }
    }
    return Optional.empty();
  }

  /** A node's name by public key, as its peers label it. */
  private static Map<String, String> names(List<Map.Entry<LinkKey, LinkRecord>> links) {
    Map<String, String> names = new HashMap<>();
    links.forEach(e -> names.put(e.getKey().peerPublicKey(), e.getValue().peerLabel()));
    return names;
  }
}
