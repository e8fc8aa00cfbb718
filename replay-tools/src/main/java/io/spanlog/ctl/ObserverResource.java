package io.spanlog.ctl;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What {@code spanlog ctl get} reads from the endpoint observer's read API, for one cluster. */
public enum ObserverResource {
  LINKS("/v1/links", "links", "link"),
  MATRIX("/v1/matrix", "matrix", "reachability"),
  DRIFT("/v1/drift", "drift", "peerspecdrift");

  private final String path;
  private final List<String> names;

  ObserverResource(String path, String... names) {
    this.path = path;
    this.names = List.of(names);
  }

  public String path() {
    return path;
  }

  public String displayName() {
    return names.get(0);
  }

  public static Optional<ObserverResource> parse(String typed) {
    String name = typed.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.names.contains(name)).findFirst();
  }

  /** "links, matrix, drift". */
  public static String valid() {
    return String.join(", ", Arrays.stream(values()).map(ObserverResource::displayName).toList());
  }
}
