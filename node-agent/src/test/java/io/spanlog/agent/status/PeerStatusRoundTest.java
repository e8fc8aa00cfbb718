package io.spanlog.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerStatusRoundTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Endpoint A = Endpoint.parse("10.0.0.2:51820");
  private static final Endpoint NAT = Endpoint.parse("198.51.100.9:61000");

  private static PeerSpec spec(String key, String affiliate, Endpoint... endpoints) {
    return new PeerSpec(key, "node-" + key, IpText.parse("fd00::1"), List.of(IpPrefix.parse("fd00::1/128")),
        List.of(endpoints).stream().map(e -> new PeerEndpoint(e, EndpointSource.ADVERTISED)).toList(), affiliate);
  }

  @Test
  void programsNewPeersAndForgetsPeersThatLeftTheSpecs() {
    var round = new PeerStatusRound(StatusTimings.DEFAULTS);
    var gone = PeerStatus.initial("GONE", "x");
    PeerStatusRound.Outcome r = round.run(Map.of("GONE", gone), List.of(spec("K1", "a1", A)), Map.of(), T0);
    assertThat(r.statuses()).containsOnlyKeys("K1");
    assertThat(r.endpointsToProgram()).containsEntry("K1", A);
    assertThat(r.programReasons().get("K1")).contains("first endpoint");
  }

  @Test
  void harvestsTheEndpointInUseOfUpPeersOnly() {
    var round = new PeerStatusRound(StatusTimings.DEFAULTS);
    List<PeerSpec> specs = List.of(spec("UP", "aff-up", A), spec("NEW", "aff-new", A));
    PeerStatusRound.Outcome first = round.run(Map.of(), specs, Map.of(), T0);
    // WireGuard roamed to the NAT mapping and handshook; the other peer never answers
    var device =
        Map.of(
            "UP", new DeviceObservation(Optional.of(NAT), Optional.of(T0.plusSeconds(2)), 10, 20),
            "NEW", new DeviceObservation(Optional.of(A), Optional.empty(), 0, 0));
    PeerStatusRound.Outcome second = round.run(first.statuses(), specs, device, T0.plusSeconds(5));
    assertThat(second.statuses().get("UP").state()).isEqualTo(PeerState.UP);
    assertThat(Harvest.of(second.statuses(), specs))
        .containsExactly(new HarvestedEndpoint("UP", "aff-up", NAT));

    PeerSample sample = PeerSamples.of(second.statuses().get("UP"), specs.get(0));
    assertThat(sample.endpoint()).contains("198.51.100.9:61000");
    assertThat(sample.endpointSource()).isEqualTo(EndpointSource.UNKNOWN);
    assertThat(sample.endpointIndex()).isEqualTo(-1);
    PeerSample other = PeerSamples.of(second.statuses().get("NEW"), specs.get(1));
    assertThat(other.endpointIndex()).isZero();
    assertThat(other.endpointSource()).isEqualTo(EndpointSource.ADVERTISED);
    assertThat(other.rule()).contains("waiting up to 15 s");
  }
}
