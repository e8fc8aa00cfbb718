package io.spanlog.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.PeerState;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The timeline cases of kubespan-behaviour.md, "Peer status", on an injected clock. */
class PeerStatusMachineTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Endpoint A = Endpoint.parse("192.168.1.10:51820");
  private static final Endpoint B = Endpoint.parse("203.0.113.7:51820");
  private static final Endpoint C = Endpoint.parse("203.0.113.7:40000");

  private final PeerStatusMachine machine = new PeerStatusMachine(StatusTimings.DEFAULTS);

  private static PeerSpec spec(Endpoint... endpoints) {
    return new PeerSpec(
        "KEY",
        "node-b",
        IpText.parse("fd00::b"),
        List.of(IpPrefix.parse("fd00::b/128")),
        Stream.of(endpoints).map(e -> new PeerEndpoint(e, EndpointSource.ADVERTISED)).toList(),
        "aff-b");
  }

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private static Optional<DeviceObservation> device(Endpoint e, Instant handshake) {
    return Optional.of(
        new DeviceObservation(Optional.ofNullable(e), Optional.ofNullable(handshake), 100, 200));
  }

  /** A status whose endpoint {@code e} was chosen by this node at {@code changedAt}. */
  private static PeerStatus chosen(PeerSpec spec, Endpoint e, Instant changedAt) {
    assertThat(spec.endpointList()).contains(e);
    return new PeerStatus("KEY", "node-b", Optional.of(e), Optional.of(e), Optional.of(changedAt),
        Optional.empty(), 0, 0, PeerState.UNKNOWN, "test setup");
  }

  @Test
  void aNewPeerGetsItsFirstEndpointAndIsUnknown() {
    StatusStep step = machine.next(PeerStatus.initial("KEY", "old label"), spec(A, B), Optional.empty(), T0);
    assertThat(step.endpointToProgram()).contains(A);
    assertThat(step.status().state()).isEqualTo(PeerState.UNKNOWN);
    assertThat(step.status().lastUsedEndpoint()).contains(A);
    assertThat(step.status().lastEndpointChange()).contains(T0);
    assertThat(step.status().label()).isEqualTo("node-b");
    assertThat(step.status().rule()).contains("endpoint set to 192.168.1.10:51820 (candidate 1 of 2, advertised)");
  }

  @Test
  void withinTheConnectionTimeoutWithoutHandshakeItStaysUnknown() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), device(A, null), at(10));
    assertThat(step.status().state()).isEqualTo(PeerState.UNKNOWN);
    assertThat(step.status().rule()).isEqualTo("endpoint changed 10 s ago, waiting up to 15 s for a handshake");
    assertThat(step.endpointToProgram()).isEmpty();
  }

  @Test
  void aHandshakeAfterTheChangeIsUpEvenInsideTheTimeout() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), device(A, at(3)), at(5));
    assertThat(step.status().state()).isEqualTo(PeerState.UP);
    assertThat(step.status().lastHandshake()).contains(at(3));
    assertThat(step.status().rxBytes()).isEqualTo(100);
    assertThat(step.endpointToProgram()).isEmpty();
  }

  @Test
  void aHandshakeBeforeTheChangeDoesNotCount() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), device(A, T0.minusSeconds(1)), at(5));
    assertThat(step.status().state()).isEqualTo(PeerState.UNKNOWN);
  }

  @Test
  void betweenTheTimeoutAndTheDownIntervalNoHandshakeMeansDownAndTheNextEndpoint() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), device(A, null), at(20));
    assertThat(step.endpointToProgram()).contains(B);
    assertThat(step.status().state()).isEqualTo(PeerState.UNKNOWN);
    assertThat(step.status().lastUsedEndpoint()).contains(B);
    assertThat(step.status().lastEndpointChange()).contains(at(20));
    assertThat(step.status().rule())
        .isEqualTo(
            "endpoint set to 203.0.113.7:51820 (candidate 2 of 2, advertised): was down "
                + "(no handshake for 20 s since the endpoint change (timeout 15 s))");
  }

  @Test
  void betweenTheTimeoutAndTheDownIntervalAHandshakeSinceTheChangeIsUp() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), device(A, at(100)), at(200));
    assertThat(step.status().state()).isEqualTo(PeerState.UP);
    assertThat(step.status().rule()).isEqualTo("handshake since the endpoint change 200 s ago");
  }

  @Test
  void longAfterTheChangeARecentHandshakeIsUp() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), device(A, at(990)), at(1000));
    assertThat(step.status().state()).isEqualTo(PeerState.UP);
    assertThat(step.status().rule()).isEqualTo("last handshake 10 s ago, within 275 s (endpoint unchanged for 1000 s)");
  }

  @Test
  void longAfterTheChangeAStaleHandshakeIsDownAndCycles() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), device(A, at(700)), at(1000));
    assertThat(step.endpointToProgram()).contains(B);
    assertThat(step.status().rule())
        .contains("was down (no handshake for 300 s, limit 275 s (endpoint unchanged for 1000 s))");
  }

  @Test
  void theDownIntervalBoundaryItselfStillCountsAsRecentlyChanged() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    // exactly 275 s after the change: not "more than 275 s", so the handshake-since-change rule
    StatusStep step = machine.next(s, spec(A, B), device(A, at(1)), at(275));
    assertThat(step.status().state()).isEqualTo(PeerState.UP);
    assertThat(step.status().rule()).startsWith("handshake since the endpoint change");
  }

  @Test
  void cyclingWrapsFromTheLastCandidateToTheFirst() {
    PeerSpec three = spec(A, B, C);
    PeerStatus s = chosen(three, C, T0);
    StatusStep step = machine.next(s, three, device(C, null), at(30));
    assertThat(step.endpointToProgram()).contains(A);
    assertThat(step.status().rule()).contains("candidate 1 of 3");
  }

  @Test
  void aSingleEndpointAlreadyInUseIsNotRotated() {
    PeerStatus s = chosen(spec(A), A, T0);
    StatusStep step = machine.next(s, spec(A), device(A, null), at(30));
    assertThat(step.endpointToProgram()).isEmpty();
    assertThat(step.status().state()).isEqualTo(PeerState.DOWN);
    assertThat(step.status().lastEndpointChange()).contains(T0);
  }

  @Test
  void aChosenEndpointThatLeftTheSpecIsReplacedByTheFirstCandidate() {
    PeerStatus s = chosen(spec(A, B), B, T0);
    StatusStep step = machine.next(s, spec(C, A), device(B, null), at(30));
    assertThat(step.endpointToProgram()).contains(C);
  }

  @Test
  void downWithoutAnyUsedEndpointIsUnknown() {
    StatusStep step = machine.next(PeerStatus.initial("KEY", "b"), spec(), device(null, null), at(1000));
    assertThat(step.status().state()).isEqualTo(PeerState.UNKNOWN);
    assertThat(step.status().rule()).startsWith("no endpoint was ever used").contains("no endpoint candidates");
    assertThat(step.endpointToProgram()).isEmpty();
  }

  @Test
  void anEndpointTheDeviceLostIsSetAgainWithoutChangingTheClock() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), device(null, at(2)), at(5));
    assertThat(step.endpointToProgram()).contains(A);
    assertThat(step.programReason()).hasValueSatisfying(r -> assertThat(r).contains("again"));
    assertThat(step.status().lastEndpointChange()).contains(T0);
    assertThat(step.status().state()).isEqualTo(PeerState.UP);
  }

  @Test
  void aPeerMissingFromTheDeviceGetsItsEndpointBack() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), Optional.empty(), at(5));
    assertThat(step.endpointToProgram()).contains(A);
  }

  @Test
  void anEndpointWireGuardRoamedToIsLeftAlone() {
    PeerStatus s = chosen(spec(A, B), A, T0);
    StatusStep step = machine.next(s, spec(A, B), device(C, at(4)), at(5));
    assertThat(step.endpointToProgram()).isEmpty();
    assertThat(step.status().endpoint()).contains(C);
    assertThat(step.status().lastUsedEndpoint()).contains(A);
  }

  @Test
  void timingsAreConfigurable() {
    var fast = new PeerStatusMachine(new StatusTimings(Duration.ofSeconds(20), Duration.ofSeconds(3), Duration.ofSeconds(2)));
    PeerStatus s = chosen(spec(A, B), A, T0);
    assertThat(fast.next(s, spec(A, B), device(A, null), at(4)).endpointToProgram()).contains(B);
    assertThat(machine.next(s, spec(A, B), device(A, null), at(4)).endpointToProgram()).isEmpty();
  }
}
