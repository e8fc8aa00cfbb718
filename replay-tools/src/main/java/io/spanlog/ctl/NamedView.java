package io.spanlog.ctl;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A view {@code spanlog ctl get} can show, reached at an API path and typed by any of its names
 * (the first is the one shown), the way talosctl accepts a resource's aliases.
 */
interface NamedView {
  String path();

  List<String> names();

  default String displayName() {
    return names().get(0);
  }

  /** The view a user typed, by any of its names, case-insensitively. */
  static <V extends NamedView> Optional<V> parse(V[] views, String typed) {
    String name = typed.toLowerCase(Locale.ROOT);
    return Arrays.stream(views).filter(v -> v.names().contains(name)).findFirst();
  }

  /** "identities, peerspecs, …", for error messages. */
  static String valid(NamedView[] views) {
    return String.join(", ", Arrays.stream(views).map(NamedView::displayName).toList());
  }
}
