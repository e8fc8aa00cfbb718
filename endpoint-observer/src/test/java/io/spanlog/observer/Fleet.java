package io.spanlog.observer;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.observer.intake.TelemetryBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Synthetic telemetry in the shapes agents really send: batches of {@link PeerSample}s with the
 * status machine's rules, WireGuard counters, endpoints and their provenance.
 */
public final class Fleet {
  public static final String CLUSTER = "prod/eu-1";
  public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  public static final Node A = new Node("node-a", "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=");
  public static final Node B = new Node("node-b", "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=");
  public static final Node C = new Node("node-c", "Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=");

  /** A node: affiliate id (also its node name here) and WireGuard public key. */
  public record Node(String id, String key) {}

  private Fleet() {}

  public static Instant t(long seconds) {
    return T0.plusSeconds(seconds);
  }

  public static PeerSample up(Node peer, String endpoint, long rx, long tx, Instant at) {
    return new PeerSample(peer.key(), peer.id(), Optional.of(endpoint), EndpointSource.PUBLIC_IP,
        1, 3, Optional.of(T0.minus(Duration.ofMinutes(5))), Optional.of(at.minusSeconds(12)), rx, tx,
        PeerState.UP, "handshake 12.0 s ago, within 275 s");
  }

  public static PeerSample down(Node peer, String endpoint, long rx, long tx, Instant at) {
    return new PeerSample(peer.key(), peer.id(), Optional.of(endpoint), EndpointSource.ADVERTISED,
        0, 3, Optional.of(T0.minus(Duration.ofMinutes(5))), Optional.of(at.minusSeconds(300)), rx,
        tx, PeerState.DOWN, "no handshake for 300 s (limit 275 s) since the endpoint change");
  }

  /** A peer the agent has just learned: no handshake yet, its state not known. */
  public static PeerSample unknown(Node peer, String endpoint, Instant at) {
    return new PeerSample(peer.key(), peer.id(), Optional.of(endpoint), EndpointSource.ADVERTISED,
        0, 3, Optional.of(at), Optional.empty(), 0, 0, PeerState.UNKNOWN, "no handshake yet");
  }

  public static HandshakeSampleBatch batch(Node node, Instant sampledAt, PeerSample... peers) {
    return new HandshakeSampleBatch(node.id(), node.key(), true, List.of(peers),
        Optional.of(sampledAt));
  }

  /** A batch as the discovery service appends it, at {@code arrivedAt}. */
  public static Envelope appended(HandshakeSampleBatch batch, Instant arrivedAt) {
    return new Envelope(UUID.randomUUID().toString(), CLUSTER, batch.nodeId(), arrivedAt,
        "discovery-projector@test", batch);
  }

  public static TelemetryBatch telemetry(HandshakeSampleBatch batch, Instant arrivedAt) {
    return new TelemetryBatch(CLUSTER, arrivedAt, batch.sampledAtOr(arrivedAt), batch);
  }
}
