package io.spanlog.observer.topology;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.C;
import static io.spanlog.observer.Fleet.batch;
import static io.spanlog.observer.Fleet.t;
import static io.spanlog.observer.Fleet.up;
import static io.spanlog.observer.FleetDiscovery.joined;
import static io.spanlog.observer.FleetDiscovery.left;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.PeerSpecDiscrepancy.Kind;
import io.spanlog.events.PeerSpecDrift;
import io.spanlog.events.PeerSpecDriftCleared;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.FleetDiscovery;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.intake.PlaintextBatchOpener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/**
 * Peer-spec drift on the topology: discovery events and telemetry of one cluster, the expected
 * peer specs folded and decrypted with the cluster's secret, judged against each node's batches
 * (default grace: 1 min; agents reconcile every 30 s).
 */
class PeerSpecDriftTest {
  static final String EA = "198.51.100.1:51820";
  static final String EB = "198.51.100.2:51820";
  static final String EC = "198.51.100.3:51820";

  private static ObserverDriver withSecret() {
    return new ObserverDriver(ObserverSettings.defaults(), new PlaintextBatchOpener(),
        c -> c.equals(Fleet.CLUSTER) ? Optional.of(FleetDiscovery.SECRET) : Optional.empty());
  }

  /** A and B know each other from t(0) on; C joins at t(40). */
  private static void abThenCJoins(ObserverDriver d) {
    d.discover(joined(A, t(-60), EA));
    d.discover(joined(B, t(-60), EB));
    d.discover(joined(C, t(40), EC));
  }

  @Test
  void aNodeThatMissesAJoinPastTheGraceDriftsUntilItCatchesUp() {
    try (ObserverDriver d = withSecret()) {
      d.discover(joined(A, t(-60), EA));
      d.discover(joined(B, t(-60), EB));
      d.report(batch(A, t(0), up(B, EB, 1, 1, t(0))));
      d.discover(joined(C, t(40), EC));
      for (long s = 60; s <= 120; s += 30) { // A's agent does not pick C up
        d.report(batch(A, t(s), up(B, EB, 1, 1, t(s))));
      }
      d.report(batch(A, t(150), up(B, EB, 1, 1, t(150)), up(C, EC, 1, 1, t(150))));

      List<Envelope> drift = d.events().stream()
          .filter(e -> e.payload() instanceof PeerSpecDrift || e.payload() instanceof PeerSpecDriftCleared)
          .toList();
      assertThat(drift).hasSize(2);
      assertThat(drift.get(0).payload()).isInstanceOfSatisfying(PeerSpecDrift.class, x -> {
        assertThat(x.nodePublicKey()).isEqualTo(A.key());
        assertThat(x.since()).isEqualTo(t(60));
        assertThat(x.discrepancies()).singleElement().satisfies(m -> {
          assertThat(m.kind()).isEqualTo(Kind.MISSING_PEER);
          assertThat(m.peerPublicKey()).isEqualTo(C.key());
          assertThat(m.peerLabel()).isEqualTo("node-c");
        });
      });
      assertThat(drift.get(0).at()).isEqualTo(t(120));
      assertThat(drift.get(0).subject()).isEqualTo(A.id());
      assertThat(drift.get(1).payload()).isInstanceOfSatisfying(PeerSpecDriftCleared.class, x -> {
        assertThat(x.since()).isEqualTo(t(60));
        assertThat(x.clearedAt()).isEqualTo(t(150));
      });
      DriftRecord record = d.<DriftRecord>store(ObserverStores.DRIFT)
          .get(StoreKeys.node(Fleet.CLUSTER, A.key()));
      assertThat(record.drifting()).isFalse();
    }
  }

  @Test
  void aJoinSeenWithinTheGraceIsNotDrift() {
    try (ObserverDriver d = withSecret()) {
      abThenCJoins(d);
      d.report(batch(A, t(60), up(B, EB, 1, 1, t(60)))); // not yet
      d.report(batch(B, t(61), up(A, EA, 1, 1, t(61)))); // not yet
      d.report(batch(C, t(62), up(A, EA, 1, 1, t(62)), up(B, EB, 1, 1, t(62))));
      for (long s = 90; s <= 600; s += 30) {
        d.report(batch(A, t(s), up(B, EB, 1, 1, t(s)), up(C, EC, 1, 1, t(s))));
        d.report(batch(B, t(s + 1), up(A, EA, 1, 1, t(s + 1)), up(C, EC, 1, 1, t(s + 1))));
        d.report(batch(C, t(s + 2), up(A, EA, 1, 1, t(s + 2)), up(B, EB, 1, 1, t(s + 2))));
      }

      assertThat(d.events(PeerSpecDrift.class)).isEmpty();
      assertThat(count(d, ObserverStores.DRIFT)).isEqualTo(3);
    }
  }

  @Test
  void aNodeKeepingAPeerThatLeftDrifts() {
    try (ObserverDriver d = withSecret()) {
      abThenCJoins(d);
      d.discover(left(C, t(45)));
      for (long s = 60; s <= 120; s += 30) {
        d.report(batch(A, t(s), up(B, EB, 1, 1, t(s)), up(C, EC, 1, 1, t(s))));
      }

      assertThat(d.events(PeerSpecDrift.class)).singleElement().satisfies(x ->
          assertThat(x.discrepancies()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(Kind.UNEXPECTED_PEER);
            assertThat(m.peerPublicKey()).isEqualTo(C.key());
          }));
    }
  }

  @Test
  void anEndpointOutsideThePeersCandidatesDrifts() {
    try (ObserverDriver d = withSecret()) {
      d.discover(joined(A, t(-60), EA));
      d.discover(joined(B, t(-60), EB));
      for (long s = 0; s <= 60; s += 30) {
        d.report(batch(A, t(s), up(B, "203.0.113.9:40000", 1, 1, t(s))));
      }
      // B's agent harvests and publishes the endpoint A reached it at: it becomes a candidate
      d.discover(joined(B, t(70), "203.0.113.9:40000"));
      d.report(batch(A, t(90), up(B, "203.0.113.9:40000", 1, 1, t(90))));

      assertThat(d.events(PeerSpecDrift.class)).singleElement().satisfies(x ->
          assertThat(x.discrepancies()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(Kind.ENDPOINT_NOT_A_CANDIDATE);
            assertThat(m.endpoint()).contains("203.0.113.9:40000");
          }));
      assertThat(d.events(PeerSpecDriftCleared.class)).singleElement()
          .satisfies(c -> assertThat(c.clearedAt()).isEqualTo(t(90)));
    }
  }

  @Test
  void discoveryRecordsThatCannotBeReadAreSkippedAndTheStreamGoesOn() {
    try (ObserverDriver d = withSecret()) {
      d.discoverRaw(Fleet.CLUSTER, "not an event".getBytes(StandardCharsets.UTF_8), t(-70));
      d.discoverRaw("another/cluster", EventCodec.encode(joined(C, t(-65), EC)), t(-65));
      d.discover(joined(A, t(-60), EA));
      d.discover(joined(B, t(-60), EB));
      d.discover(joined(C, t(-60), EC));
      for (long s = 0; s <= 60; s += 30) {
        d.report(batch(A, t(s), up(B, EB, 1, 1, t(s))));
      }

      assertThat(d.events(PeerSpecDrift.class)).singleElement()
          .satisfies(x -> assertThat(x.discrepancies()).hasSize(1));
      assertThat(d.deadLetters()).isEmpty(); // the discovery service's consumers dead-letter them
    }
  }

  @Test
  void aClusterWithoutItsSecretHasNoDrift() {
    try (ObserverDriver d = new ObserverDriver(ObserverSettings.defaults(),
        new PlaintextBatchOpener(), c -> Optional.empty())) {
      d.discover(joined(A, t(-60), EA));
      d.discover(joined(B, t(-60), EB));
      d.discover(joined(C, t(40), EC));
      for (long s = 60; s <= 300; s += 30) {
        d.report(batch(A, t(s), up(B, EB, 1, 1, t(s))));
      }

      assertThat(d.events(PeerSpecDrift.class)).isEmpty();
      assertThat(count(d, ObserverStores.DRIFT)).isZero();
      // the discovery state is folded anyway, opaque: a secret added later applies to all of it
      assertThat(count(d, ObserverStores.DISCOVERY)).isEqualTo(3);
    }
  }

  @Test
  void driftEventIdsComeFromTheSourceRecordSoTwoRunsCompare() {
    List<String> first = driftIds();
    assertThat(first).hasSize(2).doesNotHaveDuplicates();
    assertThat(driftIds()).isEqualTo(first);
  }

  private static int count(ObserverDriver d, String store) {
    int n = 0;
    try (KeyValueIterator<String, Object> it = d.<Object>store(store).all()) {
      for (; it.hasNext(); it.next()) {
        n++;
      }
    }
    return n;
  }

  private static List<String> driftIds() {
    try (ObserverDriver d = withSecret()) {
      abThenCJoins(d);
      for (long s = 60; s <= 120; s += 30) {
        d.report(batch(A, t(s), up(B, EB, 1, 1, t(s))));
      }
      d.report(batch(A, t(150), up(B, EB, 1, 1, t(150)), up(C, EC, 1, 1, t(150))));
      return d.events().stream().filter(e -> e.payload() instanceof PeerSpecDrift
          || e.payload() instanceof PeerSpecDriftCleared).map(Envelope::eventId).toList();
    }
  }
}
