package io.spanlog.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.ctl.NodeViews;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeshHealthTest {
  private static final NodeViews.Identity ID = new NodeViews.Identity("n", "n", "k", "a", "s", 1);

  private static Optional<NodeViews.Snapshot> node(String name, String... states) {
    List<NodeViews.PeerStatus> statuses = java.util.Arrays.stream(states)
        .map(s -> new NodeViews.PeerStatus("id", "peer", Optional.empty(), s, 0, 0, 1)).toList();
    return Optional.of(new NodeViews.Snapshot(name, ID, List.of(), statuses));
  }

  @Test
  void upOnlyWhenEveryNodeAnswersWithAllItsPeersUp() {
    assertThat(MeshHealth.allUp(List.of(node("1", "up", "up"), node("2", "up", "up"), node("3", "up", "up")))).isTrue();
    assertThat(MeshHealth.allUp(List.of(node("1", "up", "up"), node("2", "up", "unknown"), node("3", "up", "up")))).isFalse();
    assertThat(MeshHealth.allUp(List.of(node("1", "up", "up"), node("2", "up"), node("3", "up", "up"))))
        .as("a node that has not discovered every peer yet").isFalse();
    assertThat(MeshHealth.allUp(List.of(node("1", "up", "up"), Optional.empty(), node("3", "up", "up")))).isFalse();
  }

  @Test
  void progressSaysHowManyPeersEachNodeHasUp() {
    assertThat(MeshHealth.progress(List.of("node-1", "node-2", "node-3"),
        List.of(node("1", "up", "up"), node("2", "up", "down"), Optional.empty())))
        .isEqualTo("node-1 2/2 peers up, node-2 1/2 peers up, node-3 not answering yet");
  }
}
