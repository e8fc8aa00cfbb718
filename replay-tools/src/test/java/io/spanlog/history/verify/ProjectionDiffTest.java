package io.spanlog.history.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.history.verify.ProjectionDiff.Difference;
import io.spanlog.history.verify.ProjectionDiff.ListedAffiliate;
import io.spanlog.discovery.AffiliateState;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.EndpointState;
import io.spanlog.events.Blob;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What verify reports, field by field, from states alone. */
class ProjectionDiffTest {
  private static final Instant T = Instant.parse("2026-11-27T03:12:00Z");

  private static Blob blob(String s) {
    return Blob.of(s.getBytes(StandardCharsets.UTF_8));
  }

  private static AffiliateState affiliate(String id, String data, String... endpoints) {
    return new AffiliateState(id, blob(data), T,
        java.util.Arrays.stream(endpoints).map(e -> new EndpointState(blob(e), T)).toList());
  }

  private static ListedAffiliate listed(AffiliateState a) {
    return new ListedAffiliate(a.id(), a.data(), a.endpointBlobs());
  }

  @Test
  void theSameAffiliatesAgreeWhateverTheOrderOfTheList() {
    AffiliateState a = affiliate("a", "data-a", "e1", "e2");
    AffiliateState b = affiliate("b", "data-b");
    ClusterState log = ClusterState.of(List.of(a, b));
    assertThat(ProjectionDiff.againstList("c", log, List.of(listed(b), listed(a)))).isEmpty();
    assertThat(ProjectionDiff.agrees(log, List.of(listed(b), listed(a)))).isTrue();
  }

  @Test
  void eachDifferenceNamesClusterAffiliateFieldAndBothSidesWithoutTheBytes() {
    ClusterState log = ClusterState.of(List.of(affiliate("a", "data-a", "e1"), affiliate("gone", "x")));
    List<ListedAffiliate> service = List.of(
        new ListedAffiliate("a", blob("data-A"), List.of(blob("e1"), blob("e2"))),
        listed(affiliate("new", "y")));
    List<Difference> diffs = ProjectionDiff.againstList("c1", log, service);
    assertThat(diffs).extracting(Difference::affiliate, Difference::field, Difference::log, Difference::other)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", "data", ProjectionDiff.describe(blob("data-a")),
                ProjectionDiff.describe(blob("data-A"))),
            org.assertj.core.groups.Tuple.tuple("a", "endpoints", "[" + ProjectionDiff.describe(blob("e1")) + "]",
                "[" + ProjectionDiff.describe(blob("e1")) + ", " + ProjectionDiff.describe(blob("e2")) + "]"),
            org.assertj.core.groups.Tuple.tuple("gone", "affiliate", "present", "absent"),
            org.assertj.core.groups.Tuple.tuple("new", "affiliate", "absent", "present"));
    assertThat(diffs).allSatisfy(d -> assertThat(d.cluster()).isEqualTo("c1"));
    assertThat(ProjectionDiff.describe(blob("data-a"))).matches("6 bytes sha256:[0-9a-f]{8}").doesNotContain("data-a");
  }

  @Test
  void aSnapshotIsComparedWithItsExpiriesToo() {
    AffiliateState a = affiliate("a", "d", "e1");
    AffiliateState later = new AffiliateState("a", a.data(), T.plusSeconds(30), a.endpoints());
    AffiliateState endpointLater = new AffiliateState("a", a.data(), T, List.of(new EndpointState(blob("e1"), T.plusSeconds(9))));
    assertThat(ProjectionDiff.againstSnapshot("c", ClusterState.of(List.of(a)), ClusterState.of(List.of(a)))).isEmpty();
    assertThat(ProjectionDiff.againstSnapshot("c", ClusterState.of(List.of(a)), ClusterState.of(List.of(later))))
        .extracting(Difference::field).containsExactly("expiry");
    assertThat(ProjectionDiff.againstSnapshot("c", ClusterState.of(List.of(a)), ClusterState.of(List.of(endpointLater))))
        .extracting(Difference::field).containsExactly("endpoint-expiry");
  }
}
