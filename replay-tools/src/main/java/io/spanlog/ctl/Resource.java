package io.spanlog.ctl;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What {@code spanlog ctl get} can show: one status API view each, named as talosctl names them. */
public enum Resource {
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

  /** The status API path of this view. */
  public String path() {
    return path;
  }

  /** The name shown to users (the first of its names). */
  public String displayName() {
    return names.get(0);
  }

  /** The resource a user typed, by any of its names, case-insensitively. */
  public static Optional<Resource> parse(String typed) {
    String name = typed.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.names.contains(name)).findFirst();
  }

  /** "identities, peerspecs, peerstatuses, endpoints", for error messages. */
  public static String valid() {
    return String.join(", ", Arrays.stream(values()).map(Resource::displayName).toList());
  }
}
