package io.spanlog.observer.topology;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.C;
import static io.spanlog.observer.Fleet.batch;
import static io.spanlog.observer.Fleet.down;
import static io.spanlog.observer.Fleet.t;
import static io.spanlog.observer.Fleet.unknown;
import static io.spanlog.observer.Fleet.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.EndpointObserved;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.LinkAsymmetric;
import io.spanlog.events.LinkAsymmetryCleared;
import io.spanlog.events.LinkFlapping;
import io.spanlog.events.LinkFlappingCleared;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.NodeReportingAgain;
import io.spanlog.events.NodeSilent;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.events.ReachabilityChanged;
import io.spanlog.kafka.DeadLetterRouter;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.intake.Intake;
import io.spanlog.observer.intake.PlaintextBatchOpener;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The observer's topology over synthetic telemetry, on Kafka Streams' TopologyTestDriver. */
class ObserverTopologyTest {
  static final String E1 = "203.0.113.7:51820";
  static final String E2 = "198.51.100.20:40123";

  @Test
  void upDownUpGivesExactlyTwoStateEventsWithTheirDurations() {
    try (ObserverDriver d = new ObserverDriver()) {
      for (long s = 0; s <= 90; s += 30) {
        d.report(batch(A, t(s), up(B, E1, 1000 * s, 500 * s, t(s))));
      }
      for (long s = 120; s <= 180; s += 30) {
        d.report(batch(A, t(s), down(B, E1, 90_000, 45_000, t(s))));
      }
      for (long s = 210; s <= 240; s += 30) {
        d.report(batch(A, t(s), up(B, E2, 90_000 + s, 45_000 + s, t(s))));
      }

      List<LinkStateChanged> changes = d.events(LinkStateChanged.class);

      assertThat(changes).hasSize(2);
      LinkStateChanged wentDown = changes.get(0);
      assertThat(wentDown.from()).isEqualTo(PeerState.UP);
      assertThat(wentDown.to()).isEqualTo(PeerState.DOWN);
      assertThat(wentDown.previousStateSince()).isEqualTo(t(0));
      assertThat(wentDown.previousStateStartSeen()).isFalse(); // up was the baseline
      assertThat(wentDown.lastSampleInPrevious()).isEqualTo(t(90));
      assertThat(wentDown.firstSampleInNew()).isEqualTo(t(120));
      assertThat(wentDown.previousStateLasted()).isEqualTo(Duration.ofSeconds(120));
      assertThat(wentDown.reason()).startsWith("no handshake for 300 s");
      assertThat(wentDown.endpointSource()).isEqualTo(EndpointSource.ADVERTISED);
      assertThat(wentDown.nodeId()).isEqualTo("node-a");
      assertThat(wentDown.peerLabel()).isEqualTo("node-b");

      LinkStateChanged cameBack = changes.get(1);
      assertThat(cameBack.from()).isEqualTo(PeerState.DOWN);
      assertThat(cameBack.to()).isEqualTo(PeerState.UP);
      assertThat(cameBack.previousStateSince()).isEqualTo(t(120));
      assertThat(cameBack.previousStateStartSeen()).isTrue();
      assertThat(cameBack.lastSampleInPrevious()).isEqualTo(t(180));
      assertThat(cameBack.firstSampleInNew()).isEqualTo(t(210));
      assertThat(cameBack.previousStateLasted()).isEqualTo(Duration.ofSeconds(90));
      assertThat(cameBack.endpoint()).contains(E2);
      assertThat(cameBack.endpointSource()).isEqualTo(EndpointSource.PUBLIC_IP);

      Envelope env = d.events().stream()
          .filter(e -> e.payload().equals(cameBack)).findFirst().orElseThrow();
      assertThat(env.at()).isEqualTo(t(210)); // event time is the sample time
      assertThat(env.subject()).isEqualTo("node-a/node-b");
      assertThat(env.producer()).isEqualTo("endpoint-observer");
    }
  }

  @Test
  void aRepeatedOrDuplicatedSampleProducesNothing() {
    try (ObserverDriver d = new ObserverDriver()) {
      d.report(batch(A, t(0), up(B, E1, 0, 0, t(0))));
      int afterFirst = d.events().size();
      HandshakeSampleBatch same = batch(A, t(30), up(B, E1, 0, 0, t(30)));
      d.report(same);
      d.report(same, t(31)); // delivered twice
      d.report(batch(A, t(60), up(B, E1, 0, 0, t(60))));

      assertThat(d.events()).hasSize(afterFirst);
    }
  }

  @Test
  void anEndpointIsReportedWorkingTheFirstTimeAnyNodeIsUpThroughItForThatPeer() {
    try (ObserverDriver d = new ObserverDriver()) {
      d.report(batch(A, t(0), up(B, E1, 0, 0, t(0))));
      d.report(batch(A, t(30), up(B, E1, 10, 10, t(30))));
      d.report(batch(C, t(40), up(B, E1, 0, 0, t(40)))); // C proves nothing new for B
      d.report(batch(A, t(60), up(B, E2, 20, 20, t(60)))); // B's second endpoint works

      List<EndpointObserved> seen = d.events(EndpointObserved.class);

      assertThat(seen).extracting(EndpointObserved::endpoint).containsExactly(E1, E2);
      assertThat(seen.get(0).nodeId()).isEqualTo("node-a");
      assertThat(seen.get(0).peerPublicKey()).isEqualTo(B.key());
      assertThat(seen.get(0).source()).isEqualTo(EndpointSource.PUBLIC_IP);
      assertThat(seen.get(1).sampledAt()).isEqualTo(t(60));
    }
  }

  @Test
  void aCounterThatGoesBackwardsIsAResetCountedFromZero() {
    try (ObserverDriver d = new ObserverDriver()) {
      d.report(batch(A, t(0), up(B, E1, 1_000, 10_000, t(0)))); // baseline
      d.report(batch(A, t(20), up(B, E1, 3_000, 12_000, t(20)))); // +2000 / +2000
      d.report(batch(A, t(40), up(B, E1, 500, 12_500, t(40)))); // rx reset: +500 / +500
      d.report(batch(A, t(70), up(B, E1, 1_500, 100, t(70)))); // tx reset: +1000 / +100
      d.report(batch(A, t(190), up(B, E1, 1_500, 100, t(190)))); // idle; closes [0, 60) (60+120)
      d.report(batch(A, t(250), up(B, E1, 1_500, 100, t(250)))); // closes [60, 120)

      List<LinkMetricsWindow> windows = windows(d);

      assertThat(windows).hasSize(2);
      LinkMetricsWindow first = windows.get(0);
      assertThat(first.windowStart()).isEqualTo(t(0));
      assertThat(first.windowEnd()).isEqualTo(t(60));
      assertThat(first.rxBytes()).isEqualTo(2_500);
      assertThat(first.txBytes()).isEqualTo(2_500);
      assertThat(first.rxBytesPerSecond()).isEqualTo(2_500 / 60.0);
      assertThat(first.samples()).isEqualTo(3);
      assertThat(first.counterResets()).isEqualTo(1);
      LinkMetricsWindow second = windows.get(1);
      assertThat(second.windowStart()).isEqualTo(t(60));
      assertThat(second.rxBytes()).isEqualTo(1_000);
      assertThat(second.txBytes()).isEqualTo(100);
      assertThat(second.counterResets()).isEqualTo(1);
      // the idle window [180, 240) is not written, and nothing is negative
      assertThat(windows).allSatisfy(w -> {
        assertThat(w.rxBytes()).isNotNegative();
        assertThat(w.txBytes()).isNotNegative();
      });
      Envelope env = d.metrics().get(0);
      assertThat(env.at()).isEqualTo(t(60));
      assertThat(env.subject()).isEqualTo("node-a/node-b");
    }
  }

  @Test
  void aLateSampleWithinGraceIsCountedAndOneBeyondItIsCountedAsDropped() {
    try (ObserverDriver d = new ObserverDriver()) {
      d.report(batch(A, t(0), up(B, E1, 0, 0, t(0))));
      d.report(batch(C, t(120))); // C's batches carry the cluster's time forward
      // sampled at 30 s, delivered at 125 s: [0, 60) is open until 180 s
      d.report(batch(A, t(30), up(B, E1, 1_000, 100, t(30))), t(125));
      d.report(batch(C, t(185))); // closes [0, 60)
      // sampled at 50 s, delivered at 190 s: its window is closed
      d.report(batch(A, t(50), up(B, E1, 1_500, 150, t(50))), t(190));
      d.report(batch(A, t(200), up(B, E1, 1_600, 160, t(200))));
      d.report(batch(C, t(370))); // closes [180, 240)

      List<LinkMetricsWindow> windows = windows(d);

      assertThat(windows).hasSize(2);
      assertThat(windows.get(0).windowStart()).isEqualTo(t(0));
      assertThat(windows.get(0).rxBytes()).isEqualTo(1_000);
      assertThat(windows.get(0).lateDropped()).isZero();
      // the dropped sample is counted in the link's window current when it arrived
      assertThat(windows.get(1).windowStart()).isEqualTo(t(180));
      assertThat(windows.get(1).lateDropped()).isEqualTo(1);
      assertThat(windows.get(1).rxBytes()).isEqualTo(100); // from the dropped sample's counter
      assertThat(windows.get(1).samples()).isEqualTo(1);
    }
  }

  @Test
  void aLinkThatChangesMoreThanFourTimesInTenMinutesIsFlappingUntilQuietForTenMinutes() {
    try (ObserverDriver d = new ObserverDriver()) {
      long s = 0;
      d.report(batch(A, t(s), up(B, E1, 0, 0, t(s))));
      for (int i = 0; i < 6; i++) { // 6 changes, one every 30 s
        s += 30;
        d.report(batch(A, t(s), i % 2 == 0 ? down(B, E1, 0, 0, t(s)) : up(B, E1, 0, 0, t(s))));
      }
      assertThat(d.events(LinkFlapping.class)).hasSize(1);
      LinkFlapping flapping = d.events(LinkFlapping.class).get(0);
      assertThat(flapping.changes()).isEqualTo(5);
      assertThat(flapping.firstChangeAt()).isEqualTo(t(30));
      assertThat(flapping.lastChangeAt()).isEqualTo(t(150));
      assertThat(flapping.window()).isEqualTo(Duration.ofMinutes(10));

      long lastChange = s; // up since then
      while (s < lastChange + 600) {
        s += 30;
        d.report(batch(A, t(s), up(B, E1, 0, 0, t(s))));
        if (s < lastChange + 600) {
          assertThat(d.events(LinkFlappingCleared.class)).as("at %d s", s).isEmpty();
        }
      }

      List<LinkFlappingCleared> cleared = d.events(LinkFlappingCleared.class);
      assertThat(cleared).hasSize(1);
      assertThat(cleared.get(0).state()).isEqualTo(PeerState.UP);
      assertThat(cleared.get(0).quietFor()).isEqualTo(Duration.ofMinutes(10));
      assertThat(cleared.get(0).changesWhileFlapping()).isEqualTo(6);
      assertThat(cleared.get(0).flappingSince()).isEqualTo(t(150));
      assertThat(d.events(LinkFlapping.class)).hasSize(1);
    }
  }

  @Test
  void aLinkComingUpForTheFirstTimeIsAChangeButNotAFlap() {
    try (ObserverDriver d = new ObserverDriver()) {
      d.report(batch(A, t(0), unknown(B, E1, t(0))));
      d.report(batch(A, t(30), up(B, E1, 0, 0, t(30))));
      d.report(batch(A, t(60), down(B, E1, 0, 0, t(60))));

      assertThat(d.events(LinkStateChanged.class)).extracting(LinkStateChanged::to)
          .containsExactly(PeerState.UP, PeerState.DOWN);
      KeyValueStore<String, LinkRecord> links = d.store(ObserverStores.LINKS);
      LinkRecord ab = links.get(StoreKeys.link(new LinkKey(Fleet.CLUSTER, A.key(), B.key())));
      assertThat(ab.flaps().recentChanges()).as("only up → down counts").containsExactly(t(60));
    }
  }

  @Test
  void fourChangesInTenMinutesAreNotFlapping() {
    try (ObserverDriver d = new ObserverDriver()) {
      long s = 0;
      d.report(batch(A, t(s), up(B, E1, 0, 0, t(s))));
      for (int i = 0; i < 4; i++) {
        s += 30;
        d.report(batch(A, t(s), i % 2 == 0 ? down(B, E1, 0, 0, t(s)) : up(B, E1, 0, 0, t(s))));
      }
      assertThat(d.events(LinkStateChanged.class)).hasSize(4);
      assertThat(d.events(LinkFlapping.class)).isEmpty();
    }
  }

  @Test
  void aNodeSeeingAPeerUpWhileThePeerSeesItDownIsAsymmetricAfterTwoMinutes() {
    try (ObserverDriver d = new ObserverDriver()) {
      for (long s = 0; s <= 150; s += 30) {
        d.report(batch(A, t(s), up(B, E1, s, s, t(s))));
        d.report(batch(B, t(s + 1), down(A, E2, 0, 0, t(s + 1))));
        if (s <= 120) {
          assertThat(d.events(LinkAsymmetric.class)).as("at %d s", s).isEmpty();
        }
      }
      List<LinkAsymmetric> raised = d.events(LinkAsymmetric.class);
      assertThat(raised).hasSize(1);
      LinkAsymmetric a = raised.get(0);
      assertThat(a.nodePublicKey()).isEqualTo(A.key());
      assertThat(a.peerPublicKey()).isEqualTo(B.key());
      assertThat(a.reverseState()).contains(PeerState.DOWN);
      assertThat(a.since()).isEqualTo(t(1)); // B's first sample of A
      // at A's 120 s sample the two had disagreed for 119 s; raised at its 150 s sample
      assertThat(a.lasted()).isEqualTo(Duration.ofSeconds(149));
      assertThat(d.events(LinkAsymmetryCleared.class)).isEmpty();

      d.report(batch(A, t(180), up(B, E1, 180, 180, t(180))));
      d.report(batch(B, t(181), up(A, E2, 10, 10, t(181)))); // B sees A again

      List<LinkAsymmetryCleared> cleared = d.events(LinkAsymmetryCleared.class);
      assertThat(cleared).hasSize(1);
      assertThat(cleared.get(0).nodePublicKey()).isEqualTo(A.key());
      assertThat(cleared.get(0).reverseState()).contains(PeerState.UP);
      assertThat(cleared.get(0).clearedAt()).isEqualTo(t(181));
      assertThat(cleared.get(0).lasted()).isEqualTo(Duration.ofSeconds(180));
      assertThat(d.events(LinkAsymmetric.class)).hasSize(1);
    }
  }

  @Test
  void aPeerWithNoSampleOfTheNodeAtAllIsAsymmetricToo() {
    try (ObserverDriver d = new ObserverDriver()) {
      for (long s = 0; s <= 120; s += 30) {
        d.report(batch(A, t(s), up(B, E1, s, s, t(s))));
        d.report(batch(B, t(s))); // B lists no peers: it does not know A
      }
      List<LinkAsymmetric> raised = d.events(LinkAsymmetric.class);
      assertThat(raised).hasSize(1);
      assertThat(raised.get(0).reverseState()).isEmpty();
      assertThat(raised.get(0).since()).isEqualTo(t(0));
    }
  }

  @Test
  void aNodeWhoseBatchesStopIsSilentAndItsBacklogShowsTheGap() {
    try (ObserverDriver d = new ObserverDriver()) {
      for (long s = 0; s <= 60; s += 30) {
        d.report(batch(A, t(s), up(B, E1, s, s, t(s))));
        d.report(batch(B, t(s), up(A, E2, s, s, t(s))));
      }
      // A is cut off from discovery: its batches stop arriving, B's keep coming
      for (long s = 90; s <= 270; s += 30) {
        d.report(batch(B, t(s), up(A, E2, s, s, t(s))));
        if (s <= 150) {
          assertThat(d.events(NodeSilent.class)).as("at %d s", s).isEmpty(); // 90 s is not longer than 90 s
        }
      }
      List<NodeSilent> silent = d.events(NodeSilent.class);
      assertThat(silent).hasSize(1);
      assertThat(silent.get(0).nodeId()).isEqualTo("node-a");
      assertThat(silent.get(0).lastArrivedAt()).isEqualTo(t(60));
      assertThat(silent.get(0).detectedAt()).isEqualTo(t(180));
      assertThat(silent.get(0).threshold()).isEqualTo(Duration.ofSeconds(90));

      // A reconnects at 300 s and sends its backlog, oldest first, sampled while cut off
      for (long s = 90; s <= 300; s += 30) {
        d.report(new HandshakeSampleBatch("node-a", A.key(), s == 300,
            List.of(up(B, E1, s, s, t(s))), Optional.of(t(s))), t(300));
      }

      List<NodeReportingAgain> back = d.events(NodeReportingAgain.class);
      assertThat(back).hasSize(1);
      NodeReportingAgain r = back.get(0);
      assertThat(r.lastArrivedAt()).isEqualTo(t(60));
      assertThat(r.arrivedAt()).isEqualTo(t(300));
      assertThat(r.unheardFor()).isEqualTo(Duration.ofSeconds(240));
      assertThat(r.lastSampleBefore()).isEqualTo(t(60));
      assertThat(r.firstSampleAfter()).isEqualTo(t(90));
      assertThat(r.sampleGap()).isEqualTo(Duration.ofSeconds(30)); // the backlog filled the gap
      assertThat(r.discoveryReachable()).isFalse();
      assertThat(d.events(NodeSilent.class)).hasSize(1);
      Envelope env = d.events().stream().filter(e -> e.payload() == r || e.payload().equals(r))
          .findFirst().orElseThrow();
      assertThat(env.subject()).isEqualTo("node-a");
    }
  }

  @Test
  void theReachabilityMatrixIsAQueryableStoreAndItsChangesAreDeltas() {
    try (ObserverDriver d = new ObserverDriver()) {
      d.report(batch(A, t(0), up(B, E1, 0, 0, t(0)), up(C, E2, 0, 0, t(0))));
      d.report(batch(B, t(5), up(A, E1, 0, 0, t(5))));
      d.report(batch(A, t(30), down(B, E1, 0, 0, t(30)), up(C, E2, 0, 0, t(30))));
      d.report(batch(A, t(60), down(B, E1, 0, 0, t(60)))); // C no longer listed

      Map<LinkKey, ReachabilityCell> matrix = new HashMap<>();
      KeyValueStore<String, ReachabilityCell> store = d.store(ObserverStores.REACHABILITY);
      try (KeyValueIterator<String, ReachabilityCell> it =
          store.prefixScan(StoreKeys.cluster(Fleet.CLUSTER), new StringSerializer())) {
        it.forEachRemaining(kv -> matrix.put(StoreKeys.link(kv.key), kv.value));
      }
      assertThat(matrix).containsOnlyKeys(
          new LinkKey(Fleet.CLUSTER, A.key(), B.key()), new LinkKey(Fleet.CLUSTER, B.key(), A.key()));
      ReachabilityCell ab = matrix.get(new LinkKey(Fleet.CLUSTER, A.key(), B.key()));
      assertThat(ab.state()).isEqualTo(PeerState.DOWN);
      assertThat(ab.since()).isEqualTo(t(30));
      assertThat(ab.nodeId()).isEqualTo("node-a");
      assertThat(ab.peerLabel()).isEqualTo("node-b");

      List<String> deltas = d.events(ReachabilityChanged.class).stream()
          .map(r -> r.nodeId() + "->" + r.peerLabel() + " " + r.previous().map(PeerState::wireName).orElse("-")
              + ">" + r.state().map(PeerState::wireName).orElse("-"))
          .toList();
      assertThat(deltas).containsExactly(
          "node-a->node-b ->up", "node-a->node-c ->up", "node-b->node-a ->up",
          "node-a->node-b up>down", "node-a->node-c up>-");
    }
  }

  @Test
  void undecodableRecordsAreDeadLetteredWithTheReasonAndTheStreamGoesOn() {
    try (ObserverDriver d = new ObserverDriver()) {
      byte[] garbage = "not json at all".getBytes(StandardCharsets.UTF_8);
      byte[] full = EventCodec.encode(Fleet.appended(batch(A, t(0), up(B, E1, 0, 0, t(0))), t(0)));
      byte[] truncated = Arrays.copyOf(full, full.length / 2);
      byte[] notABatch = EventCodec.encode(new Envelope("id-1", Fleet.CLUSTER, "node-a", t(0),
          "discovery-projector@test", new AffiliateDeleted("node-a", Optional.empty())));
      byte[] clockAhead = EventCodec.encode(
          Fleet.appended(batch(A, t(3600), up(B, E1, 0, 0, t(3600))), t(0)));

      d.send(garbage, t(0));
      d.send(truncated, t(0));
      d.send(notABatch, t(0));
      d.send(clockAhead, t(0));
      d.report(batch(A, t(0), up(B, E1, 0, 0, t(0))));
      d.report(batch(A, t(30), down(B, E1, 0, 0, t(30))));

      List<TestRecord<byte[], byte[]>> dead = d.deadLetters();
      assertThat(dead).hasSize(4);
      assertThat(dead).extracting(r -> header(r, DeadLetterRouter.HEADER_PROBLEM))
          .containsExactly("MALFORMED_JSON", "MALFORMED_JSON", PlaintextBatchOpener.NOT_A_BATCH,
              Intake.SAMPLE_TIME_AHEAD);
      assertThat(dead).extracting(TestRecord::value)
          .containsExactly(garbage, truncated, notABatch, clockAhead); // byte for byte
      assertThat(dead).extracting(r -> header(r, DeadLetterRouter.HEADER_OFFSET))
          .containsExactly("0", "1", "2", "3");
      assertThat(dead).allSatisfy(r -> {
        assertThat(header(r, DeadLetterRouter.HEADER_TOPIC)).isEqualTo("spanlog.telemetry");
        assertThat(header(r, DeadLetterRouter.HEADER_CONSUMER)).isEqualTo("endpoint-observer");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Fleet.CLUSTER);
      });
      assertThat(header(dead.get(2), DeadLetterRouter.HEADER_REASON))
          .contains("affiliate.deleted").contains("not a telemetry batch");
      assertThat(header(dead.get(3), DeadLetterRouter.HEADER_REASON)).contains("clock is ahead");
      assertThat(d.events(LinkStateChanged.class)).hasSize(1); // the stream went on
    }
  }

  @Test
  void aBatchWithoutItsSampleTimeIsTakenAsSampledWhenAppended() {
    try (ObserverDriver d = new ObserverDriver()) {
      d.report(batch(A, t(0), up(B, E1, 0, 0, t(0))));
      d.report(new HandshakeSampleBatch("node-a", A.key(), true, List.of(down(B, E1, 0, 0, t(45)))),
          t(45));

      assertThat(d.events(LinkStateChanged.class)).singleElement()
          .satisfies(c -> assertThat(c.firstSampleInNew()).isEqualTo(t(45)));
    }
  }

  @Test
  void twoRunsOverTheSameInputDeriveTheSameRecordsWithTheSameIds() {
    List<Envelope> first = new ArrayList<>();
    List<Envelope> second = new ArrayList<>();
    for (List<Envelope> run : List.of(first, second)) {
      try (ObserverDriver d = new ObserverDriver()) {
        scenario(d);
        run.addAll(d.events());
        run.addAll(d.metrics());
      }
    }

    assertThat(first).hasSizeGreaterThan(10);
    assertThat(second).containsExactlyElementsOf(first); // ids included
    assertThat(first).extracting(Envelope::eventId).doesNotHaveDuplicates();
  }

  /** A bit of everything: changes, flapping, asymmetry, a reset, a silence and a backlog. */
  private static void scenario(ObserverDriver d) {
    Consumer<Long> round = s -> {
      PeerState ab = (s / 30) % 3 == 0 ? PeerState.DOWN : PeerState.UP;
      PeerSample toB = ab == PeerState.UP ? up(B, E1, s * 100, s * 10, t(s)) : down(B, E1, s * 100, s * 10, t(s));
      d.report(batch(A, t(s), toB, up(C, E2, s % 200 * 1000, s, t(s))));
      if (s < 300 || s > 500) {
        d.report(batch(B, t(s + 2), down(A, E1, 0, 0, t(s + 2))));
      }
      d.report(batch(C, t(s + 4), up(A, E1, s * 7, s * 3, t(s + 4))));
    };
    for (long s = 0; s <= 900; s += 30) {
      round.accept(s);
    }
    d.send("junk".getBytes(StandardCharsets.UTF_8), t(901));
  }

  private static List<LinkMetricsWindow> windows(ObserverDriver d) {
    return d.metrics().stream().map(e -> (LinkMetricsWindow) e.payload()).toList();
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
