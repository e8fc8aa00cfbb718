package io.spanlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What is refused before it is appended, and that the fold would have refused it too. */
class UpdateAdmissionTest {
  static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

  static List<Blob> blobs(int from, int count) {
    List<Blob> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(Blob.of(new byte[] {(byte) (i >> 8), (byte) i, 1}));
    }
    return out;
  }

  static ClusterState withEndpoints(String affiliate, int count) {
    Envelope e = Envelope.of("c", affiliate, T, "t",
        new AffiliateUpdated(affiliate, Optional.empty(), blobs(0, count), Duration.ofMinutes(30), Optional.empty()));
    return DiscoveryFold.apply(ClusterState.EMPTY, e).state();
  }

  static WriteOutcome fold(ClusterState s, String affiliate, List<Blob> endpoints) {
    Envelope e = Envelope.of("c", affiliate, T, "t",
        new AffiliateUpdated(affiliate, Optional.empty(), endpoints, Duration.ofMinutes(30), Optional.empty()));
    return DiscoveryFold.apply(s, e).outcome();
  }

  @Test
  void moreThan64DistinctBlobsAreRefusedWhateverTheState() {
    assertThat(UpdateAdmission.judge(ClusterState.EMPTY, "a", blobs(0, 65))).isEqualTo(WriteOutcome.TOO_MANY_ENDPOINTS);
    assertThat(UpdateAdmission.judge(withEndpoints("a", 64), "a", blobs(0, 65))).isEqualTo(WriteOutcome.TOO_MANY_ENDPOINTS);
    assertThat(fold(ClusterState.EMPTY, "a", blobs(0, 65))).isEqualTo(WriteOutcome.TOO_MANY_ENDPOINTS);
  }

  @Test
  void repeatedBlobsCountOnce() {
    List<Blob> twice = new ArrayList<>(blobs(0, 64));
    twice.addAll(blobs(0, 64));
    assertThat(UpdateAdmission.judge(ClusterState.EMPTY, "a", twice)).isEqualTo(WriteOutcome.OK);
    assertThat(fold(ClusterState.EMPTY, "a", twice)).isEqualTo(WriteOutcome.OK);
  }

  @Test
  void newBlobsPlusTheAffiliatesCurrentOnesMustFit() {
    ClusterState sixty = withEndpoints("a", 60);
    assertThat(UpdateAdmission.judge(sixty, "a", blobs(60, 4))).isEqualTo(WriteOutcome.OK);
    assertThat(UpdateAdmission.judge(sixty, "a", blobs(60, 5))).isEqualTo(WriteOutcome.TOO_MANY_ENDPOINTS);
    assertThat(fold(sixty, "a", blobs(60, 5))).isEqualTo(WriteOutcome.TOO_MANY_ENDPOINTS);
    // known blobs are refreshes, not additions
    assertThat(UpdateAdmission.judge(sixty, "a", blobs(0, 64))).isEqualTo(WriteOutcome.OK);
    assertThat(UpdateAdmission.judge(withEndpoints("a", 64), "a", blobs(0, 64))).isEqualTo(WriteOutcome.OK);
    assertThat(UpdateAdmission.judge(withEndpoints("a", 64), "a", blobs(64, 1))).isEqualTo(WriteOutcome.TOO_MANY_ENDPOINTS);
    // another affiliate's endpoints do not count
    assertThat(UpdateAdmission.judge(sixty, "b", blobs(100, 64))).isEqualTo(WriteOutcome.OK);
  }

  @Test
  void aNewAffiliateInAFullClusterIsRefusedAndExistingOnesStillUpdate() {
    ClusterState s = ClusterState.EMPTY;
    for (int i = 0; i < DiscoveryLimits.MAX_AFFILIATES_PER_CLUSTER; i++) {
      s = s.with(AffiliateState.created("a" + i));
    }
    assertThat(UpdateAdmission.judge(s, "new", List.of())).isEqualTo(WriteOutcome.TOO_MANY_AFFILIATES);
    assertThat(fold(s, "new", List.of())).isEqualTo(WriteOutcome.TOO_MANY_AFFILIATES);
    assertThat(UpdateAdmission.judge(s, "a7", blobs(0, 3))).isEqualTo(WriteOutcome.OK);
  }
}
