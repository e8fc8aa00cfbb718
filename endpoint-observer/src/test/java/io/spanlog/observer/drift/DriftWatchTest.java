package io.spanlog.observer.drift;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.C;
import static io.spanlog.observer.Fleet.t;
import static io.spanlog.observer.Fleet.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerSpecDiscrepancy.Kind;
import io.spanlog.events.PeerSpecDrift;
import io.spanlog.events.PeerSpecDriftCleared;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import io.spanlog.observer.Fleet;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DriftWatchTest {
  static final String EB = "198.51.100.2:51820";
  static final String EC = "198.51.100.3:51820";
  final DriftWatch watch = new DriftWatch(Duration.ofMinutes(1));

  /** A's batches at t(0), t(30), ... judged in turn against the specs. */
  private List<DriftWatch.Step> run(PeerSpecSet specs, long from, long to, PeerSample... peers) {
    return runFrom(Optional.empty(), specs, from, to, peers);
  }

  private List<DriftWatch.Step> runFrom(Optional<DriftRecord> start, PeerSpecSet specs, long from,
      long to, PeerSample... peers) {
    Optional<DriftRecord> prev = start;
    List<DriftWatch.Step> steps = new java.util.ArrayList<>();
    for (long s = from; s <= to; s += 30) {
      DriftWatch.Step step = watch.judge(prev, A.id(), A.key(), specs, List.of(peers), t(s));
      steps.add(step);
      prev = Optional.of(step.next());
    }
    return steps;
  }

  @Test
  void aPeerMissingPastTheGraceIsDriftAndItsArrivalTheAllClear() {
    PeerSpecSet specs = specs(spec(B, EB), spec(C, EC));
    List<DriftWatch.Step> missing = run(specs, 0, 60, up(B, EB, 1, 1, t(0)));

    assertThat(missing.get(0).event()).isEmpty();
    assertThat(missing.get(1).event()).isEmpty(); // 30 s: propagating
    assertThat(missing.get(2).event()).get().isInstanceOfSatisfying(PeerSpecDrift.class, d -> {
      assertThat(d.since()).isEqualTo(t(0));
      assertThat(d.lasted()).isEqualTo(Duration.ofMinutes(1));
      assertThat(d.discrepancies()).singleElement().satisfies(x -> {
        assertThat(x.kind()).isEqualTo(Kind.MISSING_PEER);
        assertThat(x.peerPublicKey()).isEqualTo(C.key());
        assertThat(x.peerLabel()).isEqualTo("node-c");
      });
    });
    List<DriftWatch.Step> still = runFrom(Optional.of(missing.get(2).next()), specs, 90, 90,
        up(B, EB, 1, 1, t(90)));
    assertThat(still.get(0).event()).isEmpty(); // reported once

    DriftWatch.Step caughtUp = watch.judge(Optional.of(still.get(0).next()), A.id(), A.key(),
        specs, List.of(up(B, EB, 1, 1, t(120)), up(C, EC, 1, 1, t(120))), t(120));
    assertThat(caughtUp.event()).get().isInstanceOfSatisfying(PeerSpecDriftCleared.class, c -> {
      assertThat(c.since()).isEqualTo(t(0));
      assertThat(c.clearedAt()).isEqualTo(t(120));
      assertThat(c.lasted()).isEqualTo(Duration.ofMinutes(2));
    });
    assertThat(caughtUp.next().drifting()).isFalse();
    assertThat(caughtUp.next().open()).isEmpty();
  }

  @Test
  void aJoinSeenWithinTheGraceIsNormalPropagation() {
    PeerSpecSet specs = specs(spec(B, EB), spec(C, EC));
    List<DriftWatch.Step> first = run(specs, 0, 30, up(B, EB, 1, 1, t(0)));
    List<DriftWatch.Step> then = runFrom(Optional.of(first.get(1).next()), specs, 60, 600,
        up(B, EB, 1, 1, t(0)), up(C, EC, 1, 1, t(0)));

    assertThat(first).allSatisfy(s -> assertThat(s.event()).isEmpty());
    assertThat(first.get(1).next().open()).singleElement()
        .satisfies(x -> assertThat(x.since()).isEqualTo(t(0)));
    assertThat(then).allSatisfy(s -> assertThat(s.event()).isEmpty());
  }

  @Test
  void aPeerThatShouldBeGoneIsDrift() {
    List<DriftWatch.Step> steps = run(specs(spec(B, EB)), 0, 60, up(B, EB, 1, 1, t(0)),
        up(C, EC, 1, 1, t(0)));

    assertThat(steps.get(2).event()).get().isInstanceOfSatisfying(PeerSpecDrift.class, d ->
        assertThat(d.discrepancies()).singleElement().satisfies(x -> {
          assertThat(x.kind()).isEqualTo(Kind.UNEXPECTED_PEER);
          assertThat(x.peerPublicKey()).isEqualTo(C.key());
        }));
  }

  @Test
  void anEndpointThatIsNoneOfThePeersCandidatesIsDrift() {
    String roamed = "203.0.113.9:40000";
    List<DriftWatch.Step> steps = run(specs(spec(B, EB)), 0, 60, up(B, roamed, 1, 1, t(0)));
    List<DriftWatch.Step> candidate = run(specs(spec(B, "10.0.0.2:51820", EB)), 0, 600,
        up(B, EB, 1, 1, t(0)));

    assertThat(steps.get(2).event()).get().isInstanceOfSatisfying(PeerSpecDrift.class, d ->
        assertThat(d.discrepancies()).singleElement().satisfies(x -> {
          assertThat(x.kind()).isEqualTo(Kind.ENDPOINT_NOT_A_CANDIDATE);
          assertThat(x.endpoint()).contains(roamed);
        }));
    assertThat(candidate).allSatisfy(s -> assertThat(s.event()).isEmpty());
  }

  @Test
  void aFurtherDiscrepancyLastingTheGraceIsReportedAgainWithTheFirstSince() {
    PeerSpecSet specs = specs(spec(B, EB), spec(C, EC));
    List<DriftWatch.Step> onlyB = run(specs, 0, 60, up(B, EB, 1, 1, t(0))); // C missing from 0
    List<DriftWatch.Step> roamed = runFrom(Optional.of(onlyB.get(2).next()), specs, 90, 150,
        up(B, "203.0.113.9:40000", 1, 1, t(0))); // B roamed at 90

    assertThat(roamed.get(0).event()).isEmpty();
    assertThat(roamed.get(1).event()).isEmpty();
    assertThat(roamed.get(2).event()).get().isInstanceOfSatisfying(PeerSpecDrift.class, d -> {
      assertThat(d.since()).isEqualTo(t(0));
      assertThat(d.discrepancies()).extracting(x -> x.kind())
          .containsExactly(Kind.ENDPOINT_NOT_A_CANDIDATE, Kind.MISSING_PEER); // by peer name
    });
  }

  static PeerSpecSet specs(PeerSpec... peers) {
    return new PeerSpecSet(List.of(peers), List.of());
  }

  static PeerSpec spec(Fleet.Node n, String... endpoints) {
    return new PeerSpec(n.key(), n.id(), IpText.parse("fd00::9"), List.of(),
        Arrays.stream(endpoints).map(e -> new PeerEndpoint(Endpoint.parse(e),
            EndpointSource.ADVERTISED)).toList(), n.id());
  }

  static Instant at(long s) {
    return t(s);
  }
}
