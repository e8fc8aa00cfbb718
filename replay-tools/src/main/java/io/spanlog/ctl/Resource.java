package io.spanlog.ctl;

import java.util.List;
import java.util.Optional;

/** What {@code spanlog ctl get} can show: one status API view each, named as talosctl names them. */
public enum Resource implements NamedView {
  IDENTITIES("/v1/identity", "KubeSpanIdentities", "identities", "kubespanidentities", "kubespanidentity", "identity", "ksi"),
  PEERSPECS("/v1/peerspecs", "KubeSpanPeerSpecs", "peerspecs", "kubespanpeerspecs", "kubespanpeerspec", "peerspec", "kps"),
  PEERSTATUSES("/v1/peerstatuses", "KubeSpanPeerStatuses", "peerstatuses", "kubespanpeerstatuses", "kubespanpeerstatus", "peerstatus", "ps"),
  ENDPOINTS("/v1/endpoints", "KubeSpanEndpoints", "endpoints", "kubespanendpoints", "kubespanendpoint", "endpoint", "kse");

  private final String path;
  private final String talosType;
  private final List<String> names;

  Resource(String path, String talosType, String... names) {
    this.path = path;
    this.talosType = talosType + ".kubespan.talos.dev";
    this.names = List.of(names);
  }

  @Override
  public String path() {
    return path;
  }

  /** The resource type as talosctl's YAML names it, e.g. {@code KubeSpanPeerStatuses.kubespan.talos.dev}. */
  public String talosType() {
    return talosType;
  }

  @Override
  public List<String> names() {
    return names;
  }

  public static Optional<Resource> parse(String typed) {
    return NamedView.parse(values(), typed);
  }

  public static String valid() {
    return NamedView.valid(values());
  }
}
