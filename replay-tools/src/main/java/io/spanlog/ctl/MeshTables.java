package io.spanlog.ctl;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The operator views of a whole mesh as tables, one row per (node, resource), in the spirit of
 * {@code talosctl get kubespanidentities|kubespanpeerspecs|kubespanpeerstatuses|kubespanendpoints -n <all nodes>}.
 */
public final class MeshTables {
  private MeshTables() {}

  public static Table identities(List<NodeViews.Snapshot> nodes) {
    Table t = Table.of("NODE", "PUBLIC KEY", "ADDRESS", "SUBNET");
    for (NodeViews.Snapshot s : nodes) {
      t.row(s.node(), s.identity().publicKey(), s.identity().address(), s.identity().subnet());
    }
    return t;
  }

  public static Table peerSpecs(List<NodeViews.Snapshot> nodes) {
    Table t = Table.of("NODE", "ID", "LABEL", "ADDRESS", "ENDPOINTS");
    for (NodeViews.Snapshot s : nodes) {
      s.specs().stream().sorted(Comparator.comparing(NodeViews.PeerSpec::label))
          .forEach(p -> t.row(s.node(), p.id(), p.label(), p.address(), String.join(",", p.endpoints())));
    }
    return t;
  }

  public static Table peerStatuses(List<NodeViews.Snapshot> nodes) {
    Table t = Table.of("NODE", "ID", "LABEL", "ENDPOINT", "STATE", "RX", "TX");
    for (NodeViews.Snapshot s : nodes) {
      s.statuses().stream().sorted(Comparator.comparing(NodeViews.PeerStatus::label))
          .forEach(p -> t.row(s.node(), p.id(), p.label(), p.endpoint().orElse("-"), p.state(),
              Long.toString(p.rx()), Long.toString(p.tx())));
    }
    return t;
  }

  /** {@code kubespanendpoints}: the endpoints each node harvested, by node. */
  public static Table endpoints(Map<String, List<NodeViews.Endpoint>> byNode) {
    Table t = Table.of("NODE", "ID", "AFFILIATE ID", "ENDPOINT");
    byNode.forEach((node, endpoints) -> endpoints.stream()
        .sorted(Comparator.comparing(NodeViews.Endpoint::id).thenComparing(NodeViews.Endpoint::endpoint))
        .forEach(e -> t.row(node, e.id(), e.affiliateId(), e.endpoint())));
    return t;
  }

  /** The three tables with their titles, as the demo prints them. */
  public static String render(List<NodeViews.Snapshot> nodes) {
    return "KubeSpanIdentities\n" + identities(nodes).render()
        + "\nKubeSpanPeerSpecs\n" + peerSpecs(nodes).render()
        + "\nKubeSpanPeerStatuses\n" + peerStatuses(nodes).render();
  }
}
