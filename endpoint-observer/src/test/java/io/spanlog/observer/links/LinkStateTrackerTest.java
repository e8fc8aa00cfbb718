package io.spanlog.observer.links;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.down;
import static io.spanlog.observer.Fleet.t;
import static io.spanlog.observer.Fleet.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerState;
import io.spanlog.observer.Fleet;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkStateTrackerTest {
  static final LinkKey AB = new LinkKey(Fleet.CLUSTER, A.key(), B.key());
  static final String E1 = "192.0.2.1:51820";
  static final String E2 = "192.0.2.2:51820";

  @Test
  void theFirstSampleIsABaselineWithoutAnEvent() {
    LinkStateTracker.Step step =
        LinkStateTracker.observe(AB, Optional.empty(), "node-a", up(B, E1, 5, 6, t(0)), t(0));

    assertThat(step.change()).isEmpty();
    assertThat(step.baseline()).isTrue();
    assertThat(step.next().state()).isEqualTo(PeerState.UP);
    assertThat(step.next().stateSince()).isEqualTo(t(0));
    assertThat(step.next().stateStartSeen()).isFalse();
    assertThat(step.next().rxBytes()).isEqualTo(5);
    assertThat(step.upThroughNewEndpoint()).isTrue();
  }

  @Test
  void aSampleInTheSameStateOnlyMovesTheRecordOn() {
    LinkRecord first = baseline(up(B, E1, 5, 6, t(0)));

    LinkStateTracker.Step step =
        LinkStateTracker.observe(AB, Optional.of(first), "node-a", up(B, E1, 50, 60, t(30)), t(30));

    assertThat(step.change()).isEmpty();
    assertThat(step.next().stateSince()).isEqualTo(t(0));
    assertThat(step.next().lastSampleAt()).isEqualTo(t(30));
    assertThat(step.next().rxBytes()).isEqualTo(50);
    assertThat(step.upThroughNewEndpoint()).isFalse();
  }

  @Test
  void aChangeCarriesItsProofAndThePreviousStatesDuration() {
    LinkRecord first = baseline(up(B, E1, 5, 6, t(0)));
    LinkRecord stillUp =
        LinkStateTracker.observe(AB, Optional.of(first), "node-a", up(B, E1, 9, 9, t(30)), t(30)).next();

    LinkStateTracker.Step step = LinkStateTracker.observe(
        AB, Optional.of(stillUp), "node-a", down(B, E2, 9, 9, t(60)), t(60));

    LinkStateChanged c = step.change().orElseThrow();
    assertThat(c.from()).isEqualTo(PeerState.UP);
    assertThat(c.to()).isEqualTo(PeerState.DOWN);
    assertThat(c.endpoint()).contains(E2);
    assertThat(c.endpointSource()).isEqualTo(EndpointSource.ADVERTISED);
    assertThat(c.reason()).contains("no handshake");
    assertThat(c.previousStateSince()).isEqualTo(t(0));
    assertThat(c.previousStateStartSeen()).isFalse();
    assertThat(c.lastSampleInPrevious()).isEqualTo(t(30));
    assertThat(c.firstSampleInNew()).isEqualTo(t(60));
    assertThat(c.previousStateLasted()).isEqualTo(Duration.ofSeconds(60));
    assertThat(step.next().stateSince()).isEqualTo(t(60));
    assertThat(step.next().stateStartSeen()).isTrue();
  }

  @Test
  void aSampleNotNewerThanTheLatestIsStaleAndChangesNothing() {
    LinkRecord latest = baseline(up(B, E1, 5, 6, t(30)));

    LinkStateTracker.Step older = LinkStateTracker.observe(
        AB, Optional.of(latest), "node-a", down(B, E1, 1, 1, t(0)), t(0));
    LinkStateTracker.Step same = LinkStateTracker.observe(
        AB, Optional.of(latest), "node-a", down(B, E1, 1, 1, t(30)), t(30));

    assertThat(older.stale()).isTrue();
    assertThat(older.change()).isEmpty();
    assertThat(older.next()).isEqualTo(latest);
    assertThat(same.stale()).isTrue();
  }

  @Test
  void anEndpointIsWorthAskingAboutWhenTheLinkComesUpOrSwitchesEndpointWhileUp() {
    LinkRecord downOnE1 = baseline(down(B, E1, 0, 0, t(0)));
    LinkStateTracker.Step cameUp =
        LinkStateTracker.observe(AB, Optional.of(downOnE1), "node-a", up(B, E1, 0, 0, t(30)), t(30));
    LinkStateTracker.Step switched = LinkStateTracker.observe(
        AB, Optional.of(cameUp.next()), "node-a", up(B, E2, 0, 0, t(60)), t(60));
    LinkStateTracker.Step stayed = LinkStateTracker.observe(
        AB, Optional.of(switched.next()), "node-a", up(B, E2, 0, 0, t(90)), t(90));

    assertThat(cameUp.upThroughNewEndpoint()).isTrue();
    assertThat(switched.upThroughNewEndpoint()).isTrue();
    assertThat(stayed.upThroughNewEndpoint()).isFalse();
  }

  @Test
  void provenEndpointsKeepTheNewestUpToTheirLimit() {
    ProvenEndpoints p = ProvenEndpoints.NONE.with("a", 2).with("b", 2).with("a", 2).with("c", 2);

    assertThat(p.endpoints()).containsExactly("a", "c");
  }

  private static LinkRecord baseline(io.spanlog.events.PeerSample s) {
    return LinkStateTracker.observe(AB, Optional.empty(), "node-a", s,
        s.lastHandshake().orElseThrow().plusSeconds(s.state() == PeerState.UP ? 12 : 300)).next();
  }
}
