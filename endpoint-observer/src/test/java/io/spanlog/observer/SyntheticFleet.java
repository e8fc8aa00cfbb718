package io.spanlog.observer;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.telemetry.TelemetrySeal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * A deterministic stream of telemetry records from several clusters of nodes reconciling every
 * 30 s, in the shapes agents send: links that go down and come back in blocks (so state changes,
 * flapping-free), counters that grow with traffic and reset once (an agent restart), endpoints
 * with their provenance. The same arguments give the same records, byte for byte.
 */
public final class SyntheticFleet {
  public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  public static final Duration PASS = Duration.ofSeconds(30);

  /** One telemetry record as the discovery service appends it. */
  public record Record(String cluster, Instant appendedAt, byte[] value) {
    public byte[] key() {
      return cluster.getBytes(StandardCharsets.UTF_8);
    }
  }

  private SyntheticFleet() {}

  public static String cluster(int c) {
    return "synthetic/cluster-" + c;
  }

  public static String nodeName(int n) {
    return "node-" + n;
  }

  /** A WireGuard-shaped (32 bytes, base64) public key for node {@code n} of cluster {@code c}. */
  public static String key(int c, int n) {
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (c * 31 + n * 7 + i);
    }
    return java.util.Base64.getEncoder().encodeToString(k);
  }

  /** Whether node {@code n} sees peer {@code p} down at pass {@code pass}. */
  public static boolean down(int n, int p, int pass) {
    return ((pass + n * 3 + p * 5) / 11) % 4 == 3;
  }

  /**
   * Every record of {@code passes} reconciles of {@code nodes} nodes in each of {@code clusters}
   * clusters, in append order (pass by pass, cluster by cluster, node by node).
   */
  public static List<Record> records(int clusters, int nodes, int passes) {
    return records(clusters, nodes, passes, c -> null);
  }

  /**
   * As {@link #records(int, int, int)}, the batches of cluster {@code c} sealed as agents seal
   * them with {@code secretOf.apply(c)}, or plaintext (as older agents sent) where that is null.
   */
  public static List<Record> records(int clusters, int nodes, int passes,
      IntFunction<ClusterSecret> secretOf) {
    List<Record> out = new ArrayList<>(clusters * nodes * passes);
    long[][][] rx = new long[clusters][nodes][nodes];
    long[][][] tx = new long[clusters][nodes][nodes];
    for (int pass = 0; pass < passes; pass++) {
      for (int c = 0; c < clusters; c++) {
        for (int n = 0; n < nodes; n++) {
          Instant sampled = T0.plus(PASS.multipliedBy(pass)).plusMillis(n * 10L);
          List<PeerSample> peers = new ArrayList<>();
          for (int p = 0; p < nodes; p++) {
            if (p == n) {
              continue;
            }
            boolean down = down(n, p, pass);
            if (pass == passes / 2 && n == 0) { // node 0's agent restarts: counters from zero
              rx[c][n][p] = 0;
              tx[c][n][p] = 0;
            }
            if (!down) {
              rx[c][n][p] += 1_000L * (n + 1) + (pass % 7) * 100L;
              tx[c][n][p] += 800L * (p + 1) + (pass % 5) * 50L;
            }
            peers.add(sample(c, p, down, rx[c][n][p], tx[c][n][p], sampled));
          }
          HandshakeSampleBatch batch = new HandshakeSampleBatch(nodeName(n), key(c, n), true,
              peers, Optional.of(sampled));
          Instant appended = sampled.plusMillis(200);
          String id = UUID.nameUUIDFromBytes(
              ("synthetic:" + c + ":" + n + ":" + pass).getBytes(StandardCharsets.UTF_8)).toString();
          ClusterSecret secret = secretOf.apply(c);
          Envelope e = secret == null
              ? new Envelope(id, cluster(c), nodeName(n), appended, "discovery-projector@synthetic",
                  batch)
              : new Envelope(id, cluster(c), key(c, n), appended, "discovery-projector@synthetic",
                  new TelemetrySeal(secret).seal(cluster(c), batch));
          out.add(new Record(cluster(c), appended, EventCodec.encode(e)));
        }
      }
    }
    return out;
  }

  private static PeerSample sample(int c, int p, boolean down, long rx, long tx, Instant at) {
    String endpoint = (down ? "192.0.2." : "198.51.100.") + (p + 1) + ":51820";
    return new PeerSample(key(c, p), nodeName(p), Optional.of(endpoint),
        down ? EndpointSource.ADVERTISED : EndpointSource.PUBLIC_IP, down ? 0 : 1, 2,
        Optional.of(T0), Optional.of(down ? at.minusSeconds(300) : at.minusSeconds(12)), rx, tx,
        down ? PeerState.DOWN : PeerState.UP,
        down ? "no handshake for 300 s (limit 275 s) since the endpoint change"
            : "handshake 12.0 s ago, within 275 s");
  }
}
