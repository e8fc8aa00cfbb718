package io.spanlog.ctl;

import java.util.List;
import java.util.Optional;

/** What {@code spanlog ctl get} reads from the endpoint observer's read API, for one cluster. */
public enum ObserverResource implements NamedView {
  LINKS("/v1/links", "links", "link"),
  MATRIX("/v1/matrix", "matrix", "reachability"),
  DRIFT("/v1/drift", "drift", "peerspecdrift");

  private final String path;
  private final List<String> names;

  ObserverResource(String path, String... names) {
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

  public static Optional<ObserverResource> parse(String typed) {
    return NamedView.parse(values(), typed);
  }

  public static String valid() {
    return NamedView.valid(values());
  }
}
