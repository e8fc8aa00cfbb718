package io.spanlog.observer.reachability;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.LinkAsymmetric;
import io.spanlog.events.LinkAsymmetryCleared;
import io.spanlog.events.PeerState;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.links.LinkKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AsymmetryWatchTest {
  static final LinkKey AB = new LinkKey(Fleet.CLUSTER, A.key(), B.key());
  final AsymmetryWatch watch = new AsymmetryWatch(Duration.ofMinutes(2));

  @Test
  void upAgainstDownIsRaisedOnlyOnceItHasLastedTheThreshold() {
    ReachabilityCell ab = cell("node-a", PeerState.UP, t(0));
    Optional<ReachabilityCell> ba = Optional.of(cell("node-b", PeerState.DOWN, t(10)));

    assertThat(watch.check(AB, ab, ba, t(129)).event()).isEmpty();
    AsymmetryWatch.Step raised = watch.check(AB, ab, ba, t(130));

    assertThat(raised.event()).get().isInstanceOfSatisfying(LinkAsymmetric.class, a -> {
      assertThat(a.since()).isEqualTo(t(10));
      assertThat(a.lasted()).isEqualTo(Duration.ofMinutes(2));
      assertThat(a.reverseState()).contains(PeerState.DOWN);
    });
    assertThat(raised.cell().asymmetricSince()).contains(t(10));
    assertThat(watch.check(AB, raised.cell(), ba, t(160)).event()).isEmpty(); // once
  }

  @Test
  void bothUpOrBothDownIsNotAsymmetric() {
    assertThat(watch.check(AB, cell("node-a", PeerState.UP, t(0)),
        Optional.of(cell("node-b", PeerState.UP, t(0))), t(600)).event()).isEmpty();
    assertThat(watch.check(AB, cell("node-a", PeerState.DOWN, t(0)),
        Optional.of(cell("node-b", PeerState.DOWN, t(0))), t(600)).event()).isEmpty();
    assertThat(watch.check(AB, cell("node-a", PeerState.DOWN, t(0)), Optional.empty(), t(600))
        .event()).isEmpty();
  }

  @Test
  void theReverseSideComingUpClearsIt() {
    ReachabilityCell reported =
        cell("node-a", PeerState.UP, t(0)).withAsymmetricSince(Optional.of(t(0)));

    AsymmetryWatch.Step still = watch.recheckReverse(
        AB.reverse(), reported, Optional.of(cell("node-b", PeerState.DOWN, t(0))), t(200));
    AsymmetryWatch.Step cleared = watch.recheckReverse(
        AB.reverse(), reported, Optional.of(cell("node-b", PeerState.UP, t(300))), t(300));

    assertThat(still.event()).isEmpty();
    assertThat(cleared.event()).get().isInstanceOfSatisfying(LinkAsymmetryCleared.class, c -> {
      assertThat(c.nodePublicKey()).isEqualTo(A.key());
      assertThat(c.lasted()).isEqualTo(Duration.ofSeconds(300));
      assertThat(c.reverseState()).contains(PeerState.UP);
    });
    assertThat(cleared.cell().asymmetricSince()).isEmpty();
  }

  private static ReachabilityCell cell(String node, PeerState state, Instant since) {
    return new ReachabilityCell(node, "peer", state, since, Optional.empty());
  }
}
