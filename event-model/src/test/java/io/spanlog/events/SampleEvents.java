package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One realistic envelope of every event type (plus variants with the optional parts left out),
 * for codec and broker tests. Shared with other modules through event-model's test-jar.
 */
public final class SampleEvents {
  public static final String CLUSTER = "cluster-7f3a";
  public static final Instant AT = Instant.parse("2026-11-25T10:15:30.123456Z");

  private static final String NODE_KEY = "qW8xL0g3m1p6X9pZ0lH0h2c1QWJ3cHhZb2V2bUxrYTQ=";
  private static final String PEER_KEY = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGw=";

  private SampleEvents() {}

  /** Every event type at least once, and each optional both present and absent. */
  public static List<Envelope> all() {
    return List.of(
        envelope("node-a", affiliateUpdated()),
        envelope(
            "node-b",
            new AffiliateUpdated(
                "node-b", Optional.empty(), List.of(), Duration.ZERO, Optional.empty())),
        envelope("node-a", new AffiliateDeleted("node-a", Optional.of("198.51.100.7"))),
        envelope("node-b", new AffiliateDeleted("node-b", Optional.empty())),
        envelope(
            "node-a",
            new AffiliateExpired("node-a", AT, Instant.parse("2026-11-25T10:15:00Z"))),
        envelope(
            "node-a",
            new EndpointsExpired(
                "node-a", AT, List.of(Blob.ofHex("0a0b0c"), Blob.ofHex("ffee")))),
        envelope("node-a", handshakeSampleBatch()),
        envelope("node-a", withoutSampleTime(handshakeSampleBatch())),
        envelope(NODE_KEY, sealedSampleBatch()),
        envelope("node-a/node-b", linkStateChanged()),
        envelope(
            "node-a/node-b",
            new LinkStateChanged(
                "node-a", NODE_KEY, PEER_KEY, "node-b", PeerState.UNKNOWN, PeerState.DOWN,
                Optional.empty(), EndpointSource.UNKNOWN, "no endpoint candidates",
                Instant.parse("2026-11-25T10:00:00Z"), false, Instant.parse("2026-11-25T10:14:30Z"),
                AT, Duration.ofSeconds(930, 123_456_000))),
        envelope(
            "node-a/node-b",
            new EndpointObserved(
                "node-a", NODE_KEY, PEER_KEY, "node-b", "[2001:db8::9]:51820",
                EndpointSource.HARVESTED, AT)),
        envelope(
            "node-a/node-b",
            new LinkFlapping(
                "node-a", NODE_KEY, PEER_KEY, "node-b", 5, Duration.ofMinutes(10),
                Instant.parse("2026-11-25T10:07:00Z"), AT)),
        envelope(
            "node-a/node-b",
            new LinkFlappingCleared(
                "node-a", NODE_KEY, PEER_KEY, "node-b", PeerState.UP,
                Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:05:00Z"),
                Duration.ofMinutes(10), 7)),
        envelope(
            "node-a/node-b",
            new LinkAsymmetric(
                "node-a", NODE_KEY, PEER_KEY, "node-b", Optional.of(PeerState.DOWN),
                Instant.parse("2026-11-25T10:13:00Z"), Duration.ofSeconds(150))),
        envelope(
            "node-a/node-b",
            new LinkAsymmetric(
                "node-a", NODE_KEY, PEER_KEY, "node-b", Optional.empty(),
                Instant.parse("2026-11-25T10:13:00Z"), Duration.ofSeconds(150))),
        envelope(
            "node-a/node-b",
            new LinkAsymmetryCleared(
                "node-a", NODE_KEY, PEER_KEY, "node-b", PeerState.UP, Optional.of(PeerState.UP),
                Instant.parse("2026-11-25T10:13:00Z"), AT, Duration.ofSeconds(150))),
        envelope(
            "node-a/node-b",
            new LinkAsymmetryCleared(
                "node-a", NODE_KEY, PEER_KEY, "node-b", PeerState.DOWN, Optional.empty(),
                Instant.parse("2026-11-25T10:13:00Z"), AT, Duration.ofSeconds(150))),
        envelope(
            "node-a",
            new NodeSilent(
                "node-a", NODE_KEY, Instant.parse("2026-11-25T10:13:30Z"),
                Instant.parse("2026-11-25T10:13:29.5Z"), false, AT, Duration.ofSeconds(90))),
        envelope(
            "node-a",
            new NodeReportingAgain(
                "node-a", NODE_KEY, Instant.parse("2026-11-25T10:13:30Z"), AT,
                Duration.ofSeconds(120), Instant.parse("2026-11-25T10:13:29.5Z"),
                Instant.parse("2026-11-25T10:13:59.5Z"), Duration.ofSeconds(30), false)),
        envelope(
            "node-a/node-b",
            new LinkMetricsWindow(
                "node-a", NODE_KEY, PEER_KEY, "node-b", Instant.parse("2026-11-25T10:14:00Z"),
                Instant.parse("2026-11-25T10:15:00Z"), 120_000, 6_000, 2000.0, 100.0, 2, 1, 3)),
        envelope(
            "node-a/node-b",
            new ReachabilityChanged(
                "node-a", NODE_KEY, PEER_KEY, "node-b", Optional.of(PeerState.UP),
                Optional.of(PeerState.DOWN), AT)),
        envelope(
            "node-a/node-b",
            new ReachabilityChanged(
                "node-a", NODE_KEY, PEER_KEY, "node-b", Optional.empty(),
                Optional.of(PeerState.UNKNOWN), AT)),
        envelope(
            "node-a/node-b",
            new ReachabilityChanged(
                "node-a", NODE_KEY, PEER_KEY, "node-b", Optional.of(PeerState.UP),
                Optional.empty(), AT)),
        envelope(
            "node-a",
            new PeerSpecDrift(
                "node-a", NODE_KEY,
                List.of(
                    new PeerSpecDiscrepancy(PeerSpecDiscrepancy.Kind.MISSING_PEER, PEER_KEY,
                        "node-b", Optional.empty(), Instant.parse("2026-11-25T10:13:00Z")),
                    new PeerSpecDiscrepancy(PeerSpecDiscrepancy.Kind.ENDPOINT_NOT_A_CANDIDATE,
                        NODE_KEY, "node-c", Optional.of("203.0.113.9:51820"),
                        Instant.parse("2026-11-25T10:13:30Z"))),
                Instant.parse("2026-11-25T10:13:00Z"), Duration.ofSeconds(90))),
        envelope(
            "node-a",
            new PeerSpecDriftCleared(
                "node-a", NODE_KEY, Instant.parse("2026-11-25T10:13:00Z"), AT,
                Duration.ofSeconds(150))));
  }

  public static LinkStateChanged linkStateChanged() {
    return new LinkStateChanged(
        "node-a",
        NODE_KEY,
        PEER_KEY,
        "node-b",
        PeerState.UP,
        PeerState.DOWN,
        Optional.of("203.0.113.9:51820"),
        EndpointSource.PUBLIC_IP,
        "no handshake for 275 s since the endpoint change",
        Instant.parse("2026-11-25T09:00:00Z"),
        true,
        Instant.parse("2026-11-25T10:15:00.123456Z"),
        AT,
        Duration.ofSeconds(4530, 123_456_000));
  }

  public static AffiliateUpdated affiliateUpdated() {
    return new AffiliateUpdated(
        "node-a",
        Optional.of(Blob.of(new byte[] {1, 2, 3, 4, 5, (byte) 0xfe, (byte) 0xff})),
        List.of(Blob.ofHex("00112233"), Blob.ofHex("44556677")),
        Duration.ofMinutes(30),
        Optional.of("198.51.100.7"));
  }

  public static HandshakeSampleBatch handshakeSampleBatch() {
    return new HandshakeSampleBatch(
        "node-a",
        NODE_KEY,
        false,
        List.of(
            new PeerSample(
                PEER_KEY,
                "node-b",
                Optional.of("203.0.113.9:51820"),
                EndpointSource.PUBLIC_IP,
                1,
                3,
                Optional.of(Instant.parse("2026-11-25T10:10:00Z")),
                Optional.of(Instant.parse("2026-11-25T10:14:58.5Z")),
                123_456_789_012L,
                98_765L,
                PeerState.UP,
                "handshake 31.6 s ago, within 275 s"),
            new PeerSample(
                "YmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGxmb28=",
                "node-c",
                Optional.empty(),
                EndpointSource.UNKNOWN,
                -1,
                0,
                Optional.empty(),
                Optional.empty(),
                0,
                0,
                PeerState.UNKNOWN,
                "no endpoint candidates")),
        Optional.of(Instant.parse("2026-11-25T10:15:29.987654Z")));
  }

  /** The batch as agents wrote it before {@code sampledAt} existed. */
  /** A sealed batch as the discovery service appends it (bytes opaque to it; not a real seal). */
  public static SealedSampleBatch sealedSampleBatch() {
    return new SealedSampleBatch(NODE_KEY, 1, Blob.ofHex("01" + "00".repeat(8) + "0a".repeat(12) + "ff".repeat(40)));
  }

  public static HandshakeSampleBatch withoutSampleTime(HandshakeSampleBatch b) {
    return new HandshakeSampleBatch(b.nodeId(), b.publicKey(), b.discoveryReachable(), b.peers());
  }

  public static Envelope envelope(String subject, Event payload) {
    return Envelope.of(CLUSTER, subject, AT, "sample@test", payload);
  }
}
