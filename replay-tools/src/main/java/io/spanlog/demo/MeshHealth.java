package io.spanlog.demo;

import io.spanlog.ctl.NodeViews;
import java.util.List;
import java.util.Optional;

/** Whether a mesh of n nodes is fully up, read from its nodes' views; and how far it is. */
final class MeshHealth {
  private MeshHealth() {}

  /** Every node answered and lists n-1 peers, all {@code up}. */
  static boolean allUp(List<Optional<NodeViews.Snapshot>> nodes) {
    int n = nodes.size();
    return nodes.stream().allMatch(s -> s.isPresent() && s.get().statuses().size() == n - 1
        && s.get().statuses().stream().allMatch(p -> p.state().equals("up")));
  }

  /** e.g. {@code node-1 2/2 up, node-2 1/2 up, node-3 not answering}. */
  static String progress(List<String> names, List<Optional<NodeViews.Snapshot>> nodes) {
    int n = nodes.size();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(names.get(i)).append(' ');
      Optional<NodeViews.Snapshot> s = nodes.get(i);
      if (s.isEmpty()) {
        out.append("not answering yet");
      } else {
        long up = s.get().statuses().stream().filter(p -> p.state().equals("up")).count();
        out.append(up).append('/').append(n - 1).append(" peers up");
      }
    }
    return out.toString();
  }
}
