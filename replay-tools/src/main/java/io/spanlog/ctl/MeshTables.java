package io.spanlog.ctl;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The operator views of a whole mesh as tables, one row per (node, resource), in the spirit of
 * {@code talosctl get kubespanidentities|kubespanpeerspecs|kubespanpeerstatuses|kubespanendpoints -n <all nodes>}:
 * ID then VERSION (how many times that resource changed on that node), then the view's columns.
 * talosctl's NAMESPACE and TYPE columns are left out: they are the same on every row of a view
 * (the YAML output carries them in each resource's metadata).
 */
public final class MeshTables {
  /** The id of a node's one identity resource, as Talos names it. */
  static final String IDENTITY_ID = "local";
  private MeshTables() {}

  public static Table identities(List<NodeViews.Snapshot> nodes) {
    Table t = Table.of("NODE", "ID", "VERSION", "ADDRESS", "SUBNET", "PUBLIC KEY");
    for (NodeViews.Snapshot s : nodes) {
      t.row(s.node(), IDENTITY_ID, NodeViews.version(s.identity().version()), s.identity().address(),
          s.identity().subnet(), s.identity().publicKey());
    }
    return t;
  }

  public static Table peerSpecs(List<NodeViews.Snapshot> nodes) {
    Table t = Table.of("NODE", "ID", "VERSION", "LABEL", "ADDRESS", "ENDPOINTS");
    for (NodeViews.Snapshot s : nodes) {
      s.specs().stream().sorted(Comparator.comparing(NodeViews.PeerSpec::label))
          .forEach(p -> t.row(s.node(), p.id(), NodeViews.version(p.version()), p.label(), p.address(),
              String.join(",", p.endpoints())));
    }
    return t;
  }

  public static Table peerStatuses(List<NodeViews.Snapshot> nodes) {
    Table t = Table.of("NODE", "ID", "VERSION", "LABEL", "ENDPOINT", "STATE", "RX", "TX");
    for (NodeViews.Snapshot s : nodes) {
      s.statuses().stream().sorted(Comparator.comparing(NodeViews.PeerStatus::label))
          .forEach(p -> t.row(s.node(), p.id(), NodeViews.version(p.version()), p.label(), p.endpoint().orElse("-"),
              p.state(),
              Long.toString(p.rx()), Long.toString(p.tx())));
    }
    return t;
  }

  /** {@code kubespanendpoints}: the endpoints each node harvested, by node. */
  public static Table endpoints(Map<String, List<NodeViews.Endpoint>> byNode) {
    Table t = Table.of("NODE", "ID", "VERSION", "AFFILIATE ID", "ENDPOINT");
    byNode.forEach((node, endpoints) -> endpoints.stream()
        .sorted(Comparator.comparing(NodeViews.Endpoint::id).thenComparing(NodeViews.Endpoint::endpoint))
        .forEach(e -> t.row(node, e.id(), NodeViews.version(e.version()), e.affiliateId(), e.endpoint())));
    return t;
  }

  /** The three tables with their titles, as the demo prints them. */
  public static String render(List<NodeViews.Snapshot> nodes) {
    return "KubeSpanIdentities\n" + identities(nodes).render()
        + "\nKubeSpanPeerSpecs\n" + peerSpecs(nodes).render()
        + "\nKubeSpanPeerStatuses\n" + peerStatuses(nodes).render();
  }
}
