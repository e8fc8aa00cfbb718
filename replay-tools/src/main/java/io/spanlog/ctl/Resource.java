package io.spanlog.ctl;

import java.util.List;
import java.util.Optional;

/** What {@code spanlog ctl get} can show: one status API view each, named as talosctl names them. */
public enum Resource implements NamedView {
  IDENTITIES("/v1/identity", "identities", "kubespanidentities", "kubespanidentity", "identity", "ksi"),
  PEERSPECS("/v1/peerspecs", "peerspecs", "kubespanpeerspecs", "kubespanpeerspec", "peerspec", "kps"),
  PEERSTATUSES("/v1/peerstatuses", "peerstatuses", "kubespanpeerstatuses", "kubespanpeerstatus", "peerstatus", "ps"),
  ENDPOINTS("/v1/endpoints", "endpoints", "kubespanendpoints", "kubespanendpoint", "endpoint", "kse");

  private final String path;
  private final List<String> names;

  Resource(String path, String... names) {
    this.path = path;
    this.names = List.of(names);
  }

  @Override
  public String path() {
    return path;
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
