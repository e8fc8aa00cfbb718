package io.spanlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.topics.TopicCatalogue;
import io.spanlog.topics.TopicSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicDriftTest {
  private static final TopicSpec SPEC =
      new TopicSpec(
          "t", 6, Map.of("cleanup.policy", "compact", "retention.ms", "1000"), "key", "purpose");

  @Test
  void aMatchingTopicHasNoDrift() {
    assertThat(
            TopicInstaller.TopicDrift.lines(
                SPEC, 6, 3, 3,
                Map.of("cleanup.policy", "compact", "retention.ms", "1000", "x", "y",
                    "min.insync.replicas", "2")))
        .isEmpty();
  }

  @Test
  void eachDifferenceIsOneLine() {
    assertThat(TopicInstaller.TopicDrift.lines(SPEC, 3, 1, 3, Map.of("cleanup.policy", "delete")))
        .containsExactly(
            "t: has 3 partitions, the catalogue says 6",
            "t: has 1 replica, the cluster allows 3 (min(3, brokers))",
            "t: cleanup.policy is delete, the catalogue says compact",
            "t: min.insync.replicas is unset, the catalogue says 1",
            "t: retention.ms is unset, the catalogue says 1000");
  }

  @Test
  void minInsyncIsJudgedAgainstTheTopicsOwnReplication() {
    Map<String, String> actual = Map.of("cleanup.policy", "compact", "retention.ms", "1000",
        "min.insync.replicas", "1");
    assertThat(TopicInstaller.TopicDrift.lines(SPEC, 6, 1, 1, actual)).isEmpty();
    assertThat(TopicInstaller.TopicDrift.lines(SPEC, 6, 3, 3, actual))
        .containsExactly("t: min.insync.replicas is 1, the catalogue says 2");
  }

  @Test
  void replicationIsThreeAtMostAndOneAtLeast() {
    assertThat(TopicInstaller.replicationFor(0)).isEqualTo(1);
    assertThat(TopicInstaller.replicationFor(1)).isEqualTo(1);
    assertThat(TopicInstaller.replicationFor(2)).isEqualTo(2);
    assertThat(TopicInstaller.replicationFor(3)).isEqualTo(3);
    assertThat(TopicInstaller.replicationFor(7)).isEqualTo(3);
  }

  @Test
  void threeReplicasAskForTwoInSyncFewerForOne() {
    TopicSpec events = spec(TopicCatalogue.DISCOVERY_EVENTS);
    assertThat(TopicInstaller.settingsFor(events, 3)).containsEntry("min.insync.replicas", "2")
        .containsAllEntriesOf(events.configs());
    assertThat(TopicInstaller.settingsFor(events, 2)).containsEntry("min.insync.replicas", "1");
    assertThat(TopicInstaller.settingsFor(events, 1)).containsEntry("min.insync.replicas", "1");
  }

  @Test
  void aCatalogueEntrysOwnMinInsyncStays() {
    TopicSpec snapshots = spec(TopicCatalogue.DISCOVERY_SNAPSHOTS);
    assertThat(TopicInstaller.settingsFor(snapshots, 3))
        .containsEntry("min.insync.replicas", snapshots.configs().get("min.insync.replicas"));
  }

  private static TopicSpec spec(String name) {
    return TopicCatalogue.all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
