package io.spanlog.console.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.NodeReportingAgain;
import io.spanlog.events.NodeSilent;
import io.spanlog.events.PeerState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fleet's counts from link events and the observer's silent-node facts. */
class FleetStateTest {
  static final Instant T = Instant.parse("2026-11-27T10:00:00Z");

  static Envelope env(String cluster, Event e) {
    return Envelope.of(cluster, "s", T, "test", e);
  }

  static Envelope link(String cluster, String node, String peer, PeerState to) {
    return env(cluster, new LinkStateChanged(node, "k-" + node, "k-" + peer, peer, PeerState.UNKNOWN, to,
        Optional.of("10.0.0.1:51820"), EndpointSource.ADVERTISED, "rule", T, true, T, T, Duration.ofSeconds(30)));
  }

  static Envelope silent(String cluster, String node) {
    return env(cluster, new NodeSilent(node, "k-" + node, T, T, true, T, Duration.ofSeconds(90)));
  }

  static Envelope back(String cluster, String node) {
    return env(cluster, new NodeReportingAgain(node, "k-" + node, T, T, Duration.ZERO, T, T, Duration.ZERO, true));
  }

  @Test
  void aSilentNodeIsWithoutDiscoveryUntilItReportsAgain() {
    FleetState fleet = new FleetState();
    fleet.apply(link("c", "a", "b", PeerState.UP));
    assertThat(fleet.summary("c", T).withoutDiscovery()).isZero();
    assertThat(fleet.apply(silent("c", "b"))).hasValue(new FleetState.Change("c", Optional.empty()));
    assertThat(fleet.summary("c", T).withoutDiscovery()).isEqualTo(1);
    assertThat(fleet.summary("c", T).nodes()).isEqualTo(2);
    fleet.apply(silent("c", "b")); // said twice: still one node
    assertThat(fleet.summary("c", T).withoutDiscovery()).isEqualTo(1);
    assertThat(fleet.apply(back("c", "b"))).isPresent();
    assertThat(fleet.summary("c", T).withoutDiscovery()).isZero();
    assertThat(fleet.apply(back("c", "b"))).as("a return of a node not silent changes nothing").isEmpty();
  }

  @Test
  void aClusterKnownOnlyBySilenceIsListedAndNodesWithoutDiscoveryRankAfterLinksDown() {
    FleetState fleet = new FleetState();
    fleet.apply(link("down", "a", "b", PeerState.DOWN));
    fleet.apply(link("fine", "a", "b", PeerState.UP));
    fleet.apply(link("cut-off", "a", "b", PeerState.UP));
    fleet.apply(silent("cut-off", "b"));
    fleet.apply(silent("only-silence", "x"));
    assertThat(fleet.knows("only-silence")).isTrue();
    assertThat(fleet.summaries(T)).extracting(FleetState.Summary::cluster)
        .containsExactly("down", "cut-off", "only-silence", "fine");
  }
}
