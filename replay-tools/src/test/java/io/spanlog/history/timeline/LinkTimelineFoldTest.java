package io.spanlog.history.timeline;

import static io.spanlog.history.timeline.Incident.HARVESTED;
import static io.spanlog.history.timeline.Incident.PK1;
import static io.spanlog.history.timeline.Incident.PK2;
import static io.spanlog.history.timeline.Incident.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.discovery.ClusterState;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerState;
import io.spanlog.telemetry.TelemetrySeal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkTimelineFoldTest {
  private final Incident incident = new Incident();

  private LinkTimeline fold(String node, String peer, Instant from, Instant to, Optional<ClusterSecret> secret,
      List<Envelope> records) {
    return LinkTimelineFold.fold(new TimelineQuery(Incident.CLUSTER, node, peer, from, to, secret),
        ClusterState.EMPTY, records);
  }

  private LinkTimeline whole(List<Envelope> records) {
    return fold("node-1", "node-2", t(0), t(900), Optional.of(incident.secret), records);
  }

  private static int indexOf(LinkTimeline tl, EntryKind kind, String detail, String value) {
    for (int i = 0; i < tl.entries().size(); i++) {
      TimelineEntry e = tl.entries().get(i);
      if (e.kind() == kind && value.equals(e.details().get(detail))) {
        return i;
      }
    }
    throw new AssertionError("no " + kind + " with " + detail + "=" + value + " in " + tl.entries());
  }

  @Test
  void tellsDownTheEndpointChangeAndTheRecoveryInOrderWithProvenance() {
    LinkTimeline tl = whole(incident.all());

    assertThat(tl.node().publicKey()).isEqualTo(PK1);
    assertThat(tl.peer().publicKey()).isEqualTo(PK2);
    assertThat(tl.stateSource()).isEqualTo(FactSource.OBSERVER);
    int down = indexOf(tl, EntryKind.STATE_CHANGED, "to", "down");
    int cycled = indexOf(tl, EntryKind.ENDPOINT_CYCLED, "endpoint", HARVESTED);
    int up = indexOf(tl, EntryKind.STATE_CHANGED, "to", "up");
    assertThat(down).isLessThan(cycled);
    assertThat(cycled).isLessThan(up);
    TimelineEntry change = tl.entries().get(cycled);
    assertThat(change.at()).isEqualTo(t(405)); // the agent's own record of the change
    assertThat(change.details()).containsEntry("source", "harvested").containsEntry("candidate", "2")
        .containsEntry("candidates", "2").containsEntry("previous", Incident.ADVERTISED);
    assertThat(tl.entries().get(down).details().get("rule")).contains("no handshake for 280 s");
    assertThat(tl.entries().get(up).text()).contains(HARVESTED + ", harvested");
    assertThat(tl.entries()).isSortedAccordingTo((a, b) -> a.at().compareTo(b.at()));
  }

  @Test
  void namesWhoHarvestedAnEndpointFromTheWritersAddress() {
    LinkTimeline tl = whole(incident.all());

    TimelineEntry added = tl.entries().get(indexOf(tl, EntryKind.ENDPOINT_ADDED, "endpoint", HARVESTED));
    assertThat(added.about()).isEqualTo(Side.PEER);
    assertThat(added.at()).isEqualTo(t(200));
    assertThat(added.details()).containsEntry("source", "harvested").containsEntry("writer", "10.0.0.3 (node-3)")
        .containsEntry("by", "another node");
    TimelineEntry own = tl.entries().get(indexOf(tl, EntryKind.ENDPOINT_ADDED, "endpoint", Incident.ADVERTISED));
    assertThat(own.details()).containsEntry("source", "advertised").containsEntry("by", "node-2");
    assertThat(tl.entries(EntryKind.AFFILIATE_JOINED)).extracting(TimelineEntry::about)
        .containsExactly(Side.NODE, Side.PEER);
  }

  @Test
  void statesBandsCoverTheRangeUpDownUp() {
    LinkTimeline tl = whole(incident.all());

    assertThat(tl.states()).extracting(StateSpan::state).containsExactly(PeerState.UP, PeerState.DOWN, PeerState.UP);
    assertThat(tl.states().get(0).from()).isEqualTo(t(0));
    assertThat(tl.states().get(1).from()).isEqualTo(t(390));
    assertThat(tl.states().get(2).from()).isEqualTo(t(450));
    assertThat(tl.states().get(2).to()).isEqualTo(t(900));
    assertThat(tl.states().get(2).source()).isEqualTo(EndpointSource.HARVESTED);
    assertThat(tl.rateSource()).isEqualTo(FactSource.OBSERVER);
    assertThat(tl.rates()).hasSize(15);
    assertThat(tl.endpointChanges()).extracting(EndpointMark::endpoint)
        .containsExactly(Incident.ADVERTISED, HARVESTED);
  }

  @Test
  void withoutLinkEventsSaysSoAndFallsBackToTheSamples() {
    LinkTimeline tl = whole(incident.withoutObserver());

    assertThat(tl.stateSource()).isEqualTo(FactSource.SAMPLES);
    assertThat(tl.rateSource()).isEqualTo(FactSource.SAMPLES);
    assertThat(tl.notes()).anyMatch(n -> n.startsWith("no link events for node-1 \u2192 node-2"));
    int down = indexOf(tl, EntryKind.STATE_CHANGED, "to", "down");
    int cycled = indexOf(tl, EntryKind.ENDPOINT_CYCLED, "endpoint", HARVESTED);
    int up = indexOf(tl, EntryKind.STATE_CHANGED, "to", "up");
    assertThat(down).isLessThan(cycled);
    assertThat(cycled).isLessThan(up);
    assertThat(tl.entries().get(down).at()).isEqualTo(t(390));
    assertThat(tl.entries().get(up).at()).isEqualTo(t(450));
    // a span per state and per endpoint in use: down on the first endpoint, down on the harvested
    // one it cycled to, up there
    assertThat(tl.states()).extracting(StateSpan::state)
        .containsExactly(PeerState.UP, PeerState.DOWN, PeerState.DOWN, PeerState.UP);
    assertThat(tl.states().get(2).endpoint()).isEqualTo(tl.states().get(3).endpoint());
    assertThat(tl.states().get(1).endpoint()).isNotEqualTo(tl.states().get(2).endpoint());
    // 30 s between samples: 1000 B/s while traffic flows, before the cut
    assertThat(tl.rates().get(0).rxBytesPerSecond()).isEqualTo(1000.0);
    assertThat(tl.rates()).hasSize(30);
  }

  @Test
  void tellsTheHandshakeGap() {
    LinkTimeline tl = whole(incident.all());

    List<TimelineEntry> gaps = tl.entries(EntryKind.HANDSHAKE_GAP);
    assertThat(gaps).hasSize(1);
    assertThat(gaps.get(0).at()).isEqualTo(t(440));
    assertThat(gaps.get(0).details()).containsEntry("since", t(110).toString()).containsEntry("lasted", "5m30s");
  }

  @Test
  void tellsDiscoveryReachabilityOfBothEnds() {
    LinkTimeline tl = whole(incident.all());

    List<TimelineEntry> lost = tl.entries(EntryKind.DISCOVERY_UNREACHABLE);
    assertThat(lost).singleElement().satisfies(e -> {
      assertThat(e.about()).isEqualTo(Side.PEER);
      assertThat(e.at()).isEqualTo(t(150));
    });
    assertThat(tl.entries(EntryKind.DISCOVERY_REACHABLE)).singleElement()
        .satisfies(e -> assertThat(e.at()).isEqualTo(t(330)));
    assertThat(tl.peerPresence()).extracting(PresenceSpan::presence).containsExactly(
        PresenceSpan.Presence.REACHES_DISCOVERY, PresenceSpan.Presence.CANNOT_REACH_DISCOVERY,
        PresenceSpan.Presence.REACHES_DISCOVERY);
    assertThat(tl.nodePresence()).extracting(PresenceSpan::presence)
        .containsExactly(PresenceSpan.Presence.REACHES_DISCOVERY);
  }

  @Test
  void aNodeSilentForLongerThanTheGapIsShownSilent() {
    List<Envelope> records = new ArrayList<>(incident.withoutObserver());
    // node-2 sends nothing from 500 s to 700 s
    records.removeIf(e -> e.payload() instanceof io.spanlog.events.SealedSampleBatch s && s.nodePublicKey().equals(PK2)
        && e.at().isAfter(t(500)) && e.at().isBefore(t(700)));
    LinkTimeline tl = whole(records);

    assertThat(tl.peerPresence()).anySatisfy(p -> {
      assertThat(p.presence()).isEqualTo(PresenceSpan.Presence.SILENT);
      assertThat(p.from()).isEqualTo(t(480));
      assertThat(p.to()).isEqualTo(t(720));
    });
  }

  @Test
  void endsAreNamedByNodeNameHostNameOrPublicKey() {
    LinkTimeline byKey = fold(PK1, PK2, t(0), t(900), Optional.of(incident.secret), incident.all());
    LinkTimeline byHost = fold("host-1", "host-2", t(0), t(900), Optional.of(incident.secret), incident.all());

    assertThat(byKey.node().name()).isEqualTo("node-1");
    assertThat(byKey.peer().name()).isEqualTo("node-2");
    assertThat(byHost.entries()).isEqualTo(byKey.entries());
  }

  @Test
  void aLinkThatNeverExistedIsOneSentence() {
    assertThatThrownBy(() -> whole0("node-1", "node-9")).isInstanceOf(UnknownLinkException.class)
        .hasMessage("no node named 'node-9' (PEER) appears in cluster cluster-a's log; nodes it names: "
            + "node-1, node-2, node-3");
    // node-3 sends no samples: node-3 -> node-1 never existed as far as the log tells
    assertThatThrownBy(() -> whole0("node-3", "node-1")).isInstanceOf(UnknownLinkException.class)
        .hasMessageStartingWith("there is no link node-3 \u2192 node-1 in cluster cluster-a between");
    assertThatThrownBy(() -> whole0("node-1", PK1)).isInstanceOf(UnknownLinkException.class)
        .hasMessageContaining("the same node");
  }

  private LinkTimeline whole0(String node, String peer) {
    return fold(node, peer, t(0), t(900), Optional.of(incident.secret), incident.all());
  }

  @Test
  void aRangeTellsOnlyWhatHappenedInIt() {
    LinkTimeline tl = fold("node-1", "node-2", t(400), t(600), Optional.of(incident.secret), incident.all());

    assertThat(tl.entries()).allSatisfy(e -> assertThat(e.at()).isBetween(t(400), t(600)));
    assertThat(tl.entries(EntryKind.ENDPOINT_ADDED)).isEmpty(); // at 200 s, before the range
    assertThat(tl.states()).extracting(StateSpan::state).containsExactly(PeerState.DOWN, PeerState.UP);
    assertThat(tl.states().get(0).from()).isEqualTo(t(400));
  }

  @Test
  void withoutTheSecretTheObserversEventsStillTellTheStates() {
    LinkTimeline tl = fold(PK1, PK2, t(0), t(900), Optional.empty(), incident.all());

    assertThat(tl.stateSource()).isEqualTo(FactSource.OBSERVER);
    assertThat(tl.states()).extracting(StateSpan::state).containsExactly(PeerState.UP, PeerState.DOWN, PeerState.UP);
    assertThat(tl.notes()).anyMatch(n -> n.contains("could not be read: no secret"));
    assertThat(tl.peer().name()).isEqualTo("node-2"); // the observer labels the peer in clear
  }

  @Test
  void batchesThatDoNotOpenAreCountedAndSkipped() {
    List<Envelope> records = new ArrayList<>(incident.all());
    TelemetrySeal other = new TelemetrySeal(ClusterSecret.fromBytes(Collections.nCopies(32, (byte) 9).stream()
        .collect(java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> { })
        .toByteArray()));
    records.add(Incident.env(PK1, t(10), other.seal(Incident.CLUSTER,
        new HandshakeSampleBatch("aff-1", PK1, true, List.of(Incident.node1SeesNode2(10)), Optional.of(t(10))))));
    LinkTimeline tl = whole(records);

    assertThat(tl.notes()).contains("1 sealed sample batches did not open (not sealed for cluster) and were skipped");
    assertThat(tl.entries(EntryKind.ENDPOINT_IN_USE)).hasSize(1);
  }

  @Test
  void aSecretThatOpensNothingIsNamedTheWrongOne() {
    ClusterSecret other = ClusterSecret.fromBytes(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    assertThatThrownBy(() -> fold("node-1", "node-2", t(0), t(900), Optional.of(other), incident.all()))
        .isInstanceOf(WrongSecretException.class)
        .hasMessage("the secret given for cluster cluster-a opens none of its 62 sealed sample batches and none of its "
            + "3 affiliate payloads: it is another cluster's secret, or an old one");
  }

  @Test
  void theWholeOfARecordingIsOneCall() {
    LinkTimeline tl = LinkTimelineFold.of(Incident.CLUSTER, "node-1:node-2", incident.secret, incident.all());

    assertThat(tl.from()).isEqualTo(t(0));
    assertThat(tl.to()).isEqualTo(t(900).plusMillis(200));
    assertThat(tl.entries(EntryKind.STATE_CHANGED)).hasSize(2);
  }
}
