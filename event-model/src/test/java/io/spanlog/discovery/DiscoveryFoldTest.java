package io.spanlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiscoveryFoldTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  static final Duration TTL = Duration.ofMinutes(30);
  static final Blob E1 = Blob.ofHex("45c55198f8ad5b07dd423e192f7e13e8");
  static final Blob E2 = Blob.ofHex("00112233445566778899aabbccddeeff");

  static Envelope at(Instant at, Event e) {
    return Envelope.of("c1", "a", at, "test", e);
  }

  static AffiliateUpdated update(String id, String data, Duration ttl, Blob... endpoints) {
    return new AffiliateUpdated(
        id,
        data == null ? Optional.empty() : Optional.of(Blob.of(data.getBytes())),
        List.of(endpoints),
        ttl,
        Optional.empty());
  }

  @Test
  void updateCreatesAffiliateWithDataEndpointsAndExpiry() {
    ApplyOutcome out = DiscoveryFold.apply(ClusterState.EMPTY, at(T0, update("a", "d1", TTL, E1)));

    AffiliateState a = out.state().affiliate("a").orElseThrow();
    assertThat(a.data()).isEqualTo(Blob.of("d1".getBytes()));
    assertThat(a.expiry()).isEqualTo(T0.plus(TTL));
    assertThat(a.endpoints()).containsExactly(new EndpointState(E1, T0.plus(TTL)));
    assertThat(out.notifications()).containsExactly(new Notification.Upsert(a));
    assertThat(out.outcome()).isEqualTo(WriteOutcome.OK);
  }

  @Test
  void emptyUpdateStillCreatesAndAnnounces() {
    ApplyOutcome out =
        DiscoveryFold.apply(ClusterState.EMPTY, at(T0, update("a", null, Duration.ZERO)));
    assertThat(out.state().affiliate("a")).isPresent();
    assertThat(out.notifications()).hasSize(1);
  }

  @Test
  void emptyDataLeavesDataUntouched() {
    ClusterState s = DiscoveryFold.apply(ClusterState.EMPTY, at(T0, update("a", "d1", TTL))).state();
    ApplyOutcome out = DiscoveryFold.apply(s, at(T0.plusSeconds(1), update("a", "", TTL)));
    assertThat(out.state().affiliate("a").orElseThrow().data()).isEqualTo(Blob.of("d1".getBytes()));
    assertThat(out.notifications()).isEmpty();
    assertThat(out.state().affiliate("a").orElseThrow().expiry()).isEqualTo(T0.plusSeconds(1).plus(TTL));
  }

  @Test
  void identicalDataIsStillAChangeAndCanShortenExpiry() {
    ClusterState s = DiscoveryFold.apply(ClusterState.EMPTY, at(T0, update("a", "d1", TTL))).state();
    ApplyOutcome out =
        DiscoveryFold.apply(s, at(T0.plusSeconds(1), update("a", "d1", Duration.ofSeconds(5))));
    assertThat(out.notifications()).hasSize(1);
    assertThat(out.state().affiliate("a").orElseThrow().expiry()).isEqualTo(T0.plusSeconds(6));
  }

  @Test
  void knownEndpointOnlyExtendsExpiryNeverShrinksItAndIsNotAChange() {
    ClusterState s = DiscoveryFold.apply(ClusterState.EMPTY, at(T0, update("a", null, TTL, E1))).state();
    ApplyOutcome shorter =
        DiscoveryFold.apply(s, at(T0.plusSeconds(10), update("a", null, Duration.ofSeconds(1), E1)));
    assertThat(shorter.notifications()).isEmpty();
    assertThat(shorter.state().affiliate("a").orElseThrow().endpoints().get(0).expiry())
        .isEqualTo(T0.plus(TTL));

    ApplyOutcome longer = DiscoveryFold.apply(s, at(T0.plusSeconds(10), update("a", null, TTL, E1, E2)));
    AffiliateState a = longer.state().affiliate("a").orElseThrow();
    assertThat(a.endpointBlobs()).containsExactly(E1, E2);
    assertThat(a.endpoints().get(0).expiry()).isEqualTo(T0.plusSeconds(10).plus(TTL));
    assertThat(longer.notifications()).containsExactly(new Notification.Upsert(a));
  }

  @Test
  void the1025thAffiliateIsRefusedAndNothingStored() {
    ClusterState s = ClusterState.EMPTY;
    for (int i = 0; i < DiscoveryLimits.MAX_AFFILIATES_PER_CLUSTER; i++) {
      ApplyOutcome out = DiscoveryFold.apply(s, at(T0, update("a" + i, "d", TTL)));
      assertThat(out.outcome().ok()).isTrue();
      s = out.state();
    }
    ApplyOutcome refused = DiscoveryFold.apply(s, at(T0, update("extra", "d", TTL)));
    assertThat(refused.outcome()).isEqualTo(WriteOutcome.TOO_MANY_AFFILIATES);
    assertThat(refused.state()).isSameAs(s);
    assertThat(refused.notifications()).isEmpty();
    // an existing affiliate may still be updated
    assertThat(DiscoveryFold.apply(s, at(T0, update("a7", "d", TTL))).outcome().ok()).isTrue();
  }

  @Test
  void endpointsBeyond64MergeUpToTheLimitAndKeepTheAnnouncement() {
    List<Blob> blobs = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      blobs.add(Blob.of(new byte[] {(byte) i, 1, 2, 3}));
    }
    AffiliateUpdated u =
        new AffiliateUpdated("a", Optional.empty(), blobs, TTL, Optional.empty());
    ApplyOutcome out = DiscoveryFold.apply(ClusterState.EMPTY, at(T0, u));

    assertThat(out.outcome()).isEqualTo(WriteOutcome.TOO_MANY_ENDPOINTS);
    AffiliateState a = out.state().affiliate("a").orElseThrow();
    assertThat(a.endpointBlobs()).containsExactlyElementsOf(blobs.subList(0, 64));
    // step 4 skipped: the affiliate's own expiry was not extended
    assertThat(a.expiry()).isEqualTo(Instant.EPOCH);
    assertThat(out.notifications()).containsExactly(new Notification.Upsert(a));
  }

  @Test
  void deleteRemovesAndNotifiesUnknownIsSilent() {
    ClusterState s = DiscoveryFold.apply(ClusterState.EMPTY, at(T0, update("a", "d", TTL))).state();
    ApplyOutcome out = DiscoveryFold.apply(s, at(T0, new AffiliateDeleted("a", Optional.empty())));
    assertThat(out.state().isEmpty()).isTrue();
    assertThat(out.notifications()).containsExactly(new Notification.Deletion("a"));

    ApplyOutcome unknown = DiscoveryFold.apply(s, at(T0, new AffiliateDeleted("zz", Optional.empty())));
    assertThat(unknown.state()).isSameAs(s);
    assertThat(unknown.notifications()).isEmpty();
    assertThat(unknown.outcome().ok()).isTrue();
  }

  @Test
  void expiryIsRecheckedWhenApplied() {
    ClusterState s =
        DiscoveryFold.apply(ClusterState.EMPTY, at(T0, update("a", "d", Duration.ofSeconds(10)))).state();
    Instant judged = T0.plusSeconds(11);
    List<Event> plan = ExpiryPlanner.plan(s, judged);
    assertThat(plan).containsExactly(new AffiliateExpired("a", judged, T0.plusSeconds(10)));

    // a refresh landed between the decision and the expiry event: nothing is removed
    ClusterState refreshed =
        DiscoveryFold.apply(s, at(T0.plusSeconds(10), update("a", "d", TTL))).state();
    ApplyOutcome late = DiscoveryFold.apply(refreshed, at(judged, plan.get(0)));
    assertThat(late.state()).isSameAs(refreshed);
    assertThat(late.notifications()).isEmpty();

    ApplyOutcome applied = DiscoveryFold.apply(s, at(judged, plan.get(0)));
    assertThat(applied.state().isEmpty()).isTrue();
    assertThat(applied.notifications()).containsExactly(new Notification.Deletion("a"));
  }

  @Test
  void expiredEndpointsOfALiveAffiliateGiveAnUpsertWithTheRest() {
    ClusterState s = DiscoveryFold.apply(ClusterState.EMPTY, at(T0, update("a", "d", TTL, E2))).state();
    s = DiscoveryFold.apply(s, at(T0, update("a", null, Duration.ofSeconds(5), E1))).state();
    Instant judged = T0.plusSeconds(5); // "not strictly after now" counts as expired
    List<Event> plan = ExpiryPlanner.plan(s, judged);
    assertThat(plan).containsExactly(new EndpointsExpired("a", judged, List.of(E1)));

    ApplyOutcome out = DiscoveryFold.apply(s, at(judged, plan.get(0)));
    AffiliateState a = out.state().affiliate("a").orElseThrow();
    assertThat(a.endpointBlobs()).containsExactly(E2);
    assertThat(out.notifications()).containsExactly(new Notification.Upsert(a));

    // the endpoint was refreshed before the event was applied: kept
    ClusterState refreshed = DiscoveryFold.apply(s, at(T0.plusSeconds(4), update("a", null, TTL, E1))).state();
    assertThat(DiscoveryFold.apply(refreshed, at(judged, plan.get(0))).notifications()).isEmpty();
  }

  @Test
  void nothingToCollectBeforeExpiry() {
    ClusterState s = DiscoveryFold.apply(ClusterState.EMPTY, at(T0, update("a", "d", TTL, E1))).state();
    assertThat(ExpiryPlanner.plan(s, T0.plus(TTL).minusNanos(1))).isEmpty();
    // an endpoint dies when its expiry is not after now, the affiliate only strictly after
    assertThat(ExpiryPlanner.plan(s, T0.plus(TTL))).containsExactly(
        new EndpointsExpired("a", T0.plus(TTL), List.of(E1)));
    assertThat(ExpiryPlanner.plan(s, T0.plus(TTL).plusNanos(1))).containsExactly(
        new AffiliateExpired("a", T0.plus(TTL).plusNanos(1), T0.plus(TTL)));
  }
}
