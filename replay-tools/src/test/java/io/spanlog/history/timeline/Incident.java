package io.spanlog.history.timeline;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointObserved;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import io.spanlog.telemetry.TelemetrySeal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A scripted incident on the link node-1 → node-2 of a three-node cluster, as the log holds it:
 *
 * <ul>
 *   <li>t=0 s: the three nodes publish themselves (node-2 at 10.0.0.2:51820, advertised);
 *   <li>t=110 s: last handshake through 10.0.0.2:51820; t=130 s the underlay path is cut;
 *   <li>t=150..300 s: node-2 cannot reach its discovery service (its batches say so);
 *   <li>t=200 s: node-3 harvests 198.51.100.2:40000 for node-2 (written from 10.0.0.3);
 *   <li>t=390 s: node-1 judges the link down (no handshake for 280 s, limit 275 s);
 *   <li>t=405 s: node-1 cycles to 198.51.100.2:40000 (harvested, candidate 2 of 2);
 *   <li>t=440 s: handshake through it; t=450 s the link is up again; samples every 30 s to 900 s.
 * </ul>
 *
 * The observer's events for it (state changes, the endpoint proven, per-minute windows) are given
 * separately, so a test can leave them out.
 */
final class Incident {
  static final String CLUSTER = "cluster-a";
  static final Instant T0 = Instant.parse("2026-11-27T03:00:00Z");
  static final String PK1 = key(1);
  static final String PK2 = key(2);
  static final String PK3 = key(3);
  static final String HARVESTED = "198.51.100.2:40000";
  static final String ADVERTISED = "10.0.0.2:51820";

  final ClusterSecret secret = ClusterSecret.fromBytes(new byte[32]);
  private final AffiliateCrypto crypto = new AffiliateCrypto(secret, new SecureRandom());
  private final TelemetrySeal seal = new TelemetrySeal(secret);

  static String key(int n) {
    byte[] k = new byte[32];
    k[0] = (byte) n;
    k[31] = (byte) (n * 7);
    return Base64.getEncoder().encodeToString(k);
  }

  static Instant t(long seconds) {
    return T0.plusSeconds(seconds);
  }

  /** Everything: discovery, sealed samples, observer events. */
  List<Envelope> all() {
    List<Envelope> out = new ArrayList<>(discovery());
    out.addAll(samples());
    out.addAll(observer());
    return out;
  }

  List<Envelope> withoutObserver() {
    List<Envelope> out = new ArrayList<>(discovery());
    out.addAll(samples());
    return out;
  }

  List<Envelope> discovery() {
    List<Envelope> out = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      out.add(env("aff-" + n, t(n - 1), new AffiliateUpdated("aff-" + n,
          Optional.of(Blob.of(crypto.encryptAffiliate(affiliate(n)))),
          List.of(blob("10.0.0." + n + ":51820")), Duration.ofMinutes(30), Optional.of("10.0.0." + n))));
    }
    // node-3 saw node-2's link up through a NAT mapping and publishes it on node-2's behalf
    out.add(env("aff-2", t(200), new AffiliateUpdated("aff-2", Optional.empty(), List.of(blob(HARVESTED)),
        Duration.ofMinutes(30), Optional.of("10.0.0.3"))));
    return out;
  }

  static DecodedAffiliate affiliate(int n) {
    return new DecodedAffiliate("aff-" + n, List.of(IpText.parse("10.0.0." + n)), "host-" + n, "node-" + n,
        "worker", "Talos", Optional.of(new KubeSpanInfo(key(n), IpText.parse("fd00::" + n), List.of(), List.of())));
  }

  private Blob blob(String endpoint) {
    return Blob.of(crypto.encryptEndpoint(Endpoint.parse(endpoint)));
  }

  /** node-1's batches (about node-2 and node-3) and node-2's (about node-1), every 30 s, sealed. */
  List<Envelope> samples() {
    List<Envelope> out = new ArrayList<>();
    for (long s = 0; s <= 900; s += 30) {
      Instant at = t(s);
      PeerSample toNode2 = node1SeesNode2(s);
      PeerSample toNode3 = new PeerSample(PK3, "node-3", Optional.of("10.0.0.3:51820"), EndpointSource.ADVERTISED,
          0, 1, Optional.of(t(0)), Optional.of(at.minusSeconds(5)), s * 100, s * 100, PeerState.UP, "handshake recent");
      out.add(sealed(at, new HandshakeSampleBatch("aff-1", PK1, true, List.of(toNode2, toNode3), Optional.of(at))));
      boolean reachable = s < 150 || s > 300;
      PeerSample toNode1 = new PeerSample(PK1, "node-1", Optional.of("10.0.0.1:51820"), EndpointSource.ADVERTISED,
          0, 1, Optional.of(t(0)), Optional.of(at.minusSeconds(5)), s * 10, s * 10, PeerState.UP, "handshake recent");
      out.add(sealed(at, new HandshakeSampleBatch("aff-2", PK2, reachable, List.of(toNode1), Optional.of(at))));
    }
    return out;
  }

  static PeerSample node1SeesNode2(long s) {
    Instant at = t(s);
    int candidates = s >= 200 ? 2 : 1;
    long rx = Math.min(s, 130) * 1000 + Math.max(0, s - 440) * 2000;
    long tx = s * 500;
    if (s < 390) {
      Optional<Instant> hs = Optional.of(t(Math.min(s, 110)));
      return new PeerSample(PK2, "node-2", Optional.of(ADVERTISED), EndpointSource.ADVERTISED, 0, candidates,
          Optional.of(t(0)), hs, rx, tx, PeerState.UP, "last handshake " + (s - Math.min(s, 110))
          + " s ago, within 275 s (endpoint unchanged for " + s + " s)");
    }
    if (s < 420) {
      return new PeerSample(PK2, "node-2", Optional.of(ADVERTISED), EndpointSource.ADVERTISED, 0, 2,
          Optional.of(t(0)), Optional.of(t(110)), rx, tx, PeerState.DOWN,
          "no handshake for " + (s - 110) + " s, limit 275 s (endpoint unchanged for " + s + " s)");
    }
    if (s < 450) {
      return new PeerSample(PK2, "node-2", Optional.of(HARVESTED), EndpointSource.HARVESTED, 1, 2,
          Optional.of(t(405)), Optional.of(t(110)), rx, tx, PeerState.DOWN,
          "endpoint changed " + (s - 405) + " s ago, waiting up to 15 s for a handshake");
    }
    return new PeerSample(PK2, "node-2", Optional.of(HARVESTED), EndpointSource.HARVESTED, 1, 2,
        Optional.of(t(405)), Optional.of(t(s - (s - 440) % 120)), rx, tx, PeerState.UP,
        "handshake since the endpoint change " + (s - 405) + " s ago");
  }

  private Envelope sealed(Instant at, HandshakeSampleBatch batch) {
    return env(batch.publicKey(), at.plusMillis(200), seal.seal(CLUSTER, batch));
  }

  /** What the observer wrote about node-1 → node-2. */
  List<Envelope> observer() {
    List<Envelope> out = new ArrayList<>();
    out.add(env("aff-1/node-2", t(390), new LinkStateChanged("aff-1", PK1, PK2, "node-2", PeerState.UP,
        PeerState.DOWN, Optional.of(ADVERTISED), EndpointSource.ADVERTISED,
        "no handshake for 280 s, limit 275 s (endpoint unchanged for 390 s)", t(0), false, t(360), t(390),
        Duration.ofSeconds(390))));
    out.add(env("aff-1/node-2", t(450), new LinkStateChanged("aff-1", PK1, PK2, "node-2", PeerState.DOWN,
        PeerState.UP, Optional.of(HARVESTED), EndpointSource.HARVESTED,
        "handshake since the endpoint change 45 s ago", t(390), true, t(420), t(450), Duration.ofSeconds(60))));
    out.add(env("aff-1/node-2", t(450), new EndpointObserved("aff-1", PK1, PK2, "node-2", HARVESTED,
        EndpointSource.HARVESTED, t(450))));
    for (long m = 0; m < 15; m++) {
      long a = m * 60;
      long rx = node1SeesNode2(Math.min(a + 60, 900)).rxBytes() - node1SeesNode2(a).rxBytes();
      long tx = node1SeesNode2(Math.min(a + 60, 900)).txBytes() - node1SeesNode2(a).txBytes();
      out.add(env("aff-1/node-2", t(a + 60), new LinkMetricsWindow("aff-1", PK1, PK2, "node-2", t(a), t(a + 60),
          rx, tx, rx / 60.0, tx / 60.0, 2, 0, 0)));
    }
    return out;
  }

  static Envelope env(String subject, Instant at, Event payload) {
    return Envelope.of(CLUSTER, subject, at, "test", payload);
  }
}
