package io.spanlog.observer.bench;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.telemetry.TelemetrySeal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A fleet of clusters whose every node sees every other node of its cluster (clusters of
 * {@code peers + 1} nodes), reporting one batch per node and pass, sealed as agents seal them
 * ({@link TelemetrySeal} with the cluster's secret, the {@code HandshakeSampleBatch} an agent's
 * pass builds) and wrapped as the discovery service appends them (a {@code
 * telemetry.sealed-batch} envelope whose subject is the node's public key).
 *
 * <p>What the samples do, deterministically per link: about two thirds of the links carry traffic
 * (RX and TX grow every pass by a link-specific amount), the rest are idle; each link is down for
 * two passes once every {@value #DOWN_CYCLE} passes (so about 0.5% of the links change state at
 * each pass, each up→down and down→up a state event), coming back alternately through the peer's
 * public address or a harvested (NAT-mapped) one; one node in {@value #RESET_CYCLE} restarts its
 * agent at each pass (counters from zero). Not thread-safe: one generator thread.
 */
final class BenchFleet {
  static final int DOWN_CYCLE = 400;
  static final int DOWN_PASSES = 2;
  static final int RESET_CYCLE = 500;
  static final String PRODUCER = "discovery-projector@bench";
  private static final String UP_RULE = "handshake 12.0 s ago, within 275 s";
  private static final String DOWN_RULE = "no handshake for 300 s (limit 275 s) since the endpoint change";

  final int clusters;
  final int size;
  final int peers;
  final String[] clusterIds;
  final ClusterSecret[] secrets;
  private final TelemetrySeal[] seals;
  private final String[][] keys;
  private final String[][] names;
  private final long[][][] rx;
  private final long[][][] tx;
  private final long[] lastSampled;
  private final Instant started;

  BenchFleet(int nodes, int peers, Instant started) {
    this.peers = peers;
    this.size = peers + 1;
    this.clusters = Math.max(1, Math.round((float) nodes / size));
    this.started = started;
    SecureRandom random = new SecureRandom();
    clusterIds = new String[clusters];
    secrets = new ClusterSecret[clusters];
    seals = new TelemetrySeal[clusters];
    keys = new String[clusters][size];
    names = new String[clusters][size];
    for (int c = 0; c < clusters; c++) {
      clusterIds[c] = "bench/fleet-" + c;
      byte[] raw = new byte[ClusterSecret.LENGTH];
      random.nextBytes(raw);
      secrets[c] = ClusterSecret.fromBytes(raw);
      seals[c] = new TelemetrySeal(secrets[c]);
      for (int n = 0; n < size; n++) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        keys[c][n] = Base64.getEncoder().encodeToString(k);
        names[c][n] = "fleet-" + c + "-node-" + n;
      }
    }
    rx = new long[clusters][size][size];
    tx = new long[clusters][size][size];
    lastSampled = new long[clusters];
  }

  int nodes() {
    return clusters * size;
  }

  /** The cluster of the {@code slot}th batch of a pass: clusters interleave, as a fleet's agents do. */
  int clusterOf(int slot) {
    return slot % clusters;
  }

  int nodeOf(int slot) {
    return slot / clusters;
  }

  String nodeName(int c, int n) {
    return names[c][n];
  }

  /**
   * A sample time for cluster {@code c} at {@code now}, strictly later than the cluster's previous
   * one (to the millisecond), so a derived event's time names its batch within its cluster.
   */
  Instant sampleTime(int c, Instant now) {
    long ms = Math.max(now.toEpochMilli(), lastSampled[c] + 1);
    lastSampled[c] = ms;
    return Instant.ofEpochMilli(ms);
  }

  /** Node {@code n} of cluster {@code c}'s batch of pass {@code pass}, sampled at {@code sampled}. */
  HandshakeSampleBatch batch(int c, int n, int pass, Instant sampled) {
    boolean reset = mix(c, n, -1) % RESET_CYCLE == pass % RESET_CYCLE && pass > 0;
    List<PeerSample> samples = new ArrayList<>(peers);
    for (int p = 0; p < size; p++) {
      if (p == n) {
        continue;
      }
      int h = mix(c, n, p);
      int phase = (h + pass) % DOWN_CYCLE;
      boolean down = phase < DOWN_PASSES;
      if (reset) {
        rx[c][n][p] = 0;
        tx[c][n][p] = 0;
      }
      if (!down && h % 3 != 0) {
        rx[c][n][p] += 2_000 + h % 200_000 + (pass % 7) * 1_000L;
        tx[c][n][p] += 1_500 + (h >>> 8) % 150_000 + (pass % 5) * 700L;
      }
      String peerKey = keys[c][p];
      String label = names[c][p];
      if (down) {
        samples.add(new PeerSample(peerKey, label, Optional.of(advertised(c, p)), EndpointSource.ADVERTISED, 0, 3,
            Optional.of(started), Optional.of(sampled.minusSeconds(300)), rx[c][n][p], tx[c][n][p],
            PeerState.DOWN, DOWN_RULE));
      } else {
        boolean harvested = ((h + pass) / DOWN_CYCLE) % 2 == 1;
        samples.add(new PeerSample(peerKey, label,
            Optional.of(harvested ? harvested(c, p) : publicIp(c, p)),
            harvested ? EndpointSource.HARVESTED : EndpointSource.PUBLIC_IP, harvested ? 2 : 1, 3,
            Optional.of(started), Optional.of(sampled.minusSeconds(12)), rx[c][n][p], tx[c][n][p],
            PeerState.UP, UP_RULE));
      }
    }
    return new HandshakeSampleBatch(names[c][n], keys[c][n], true, samples, Optional.of(sampled));
  }

  /** The batch sealed by its agent and appended by the discovery service at {@code appended}. */
  byte[] appended(int c, HandshakeSampleBatch batch, Instant appended) {
    return EventCodec.encode(Envelope.of(clusterIds[c], batch.publicKey(), appended, PRODUCER,
        seals[c].seal(clusterIds[c], batch)));
  }

  private static String advertised(int c, int p) {
    return "10." + (c / 256 % 256) + "." + (c % 256) + "." + (p + 1) + ":51820";
  }

  private static String publicIp(int c, int p) {
    return "203." + (c / 256 % 256) + "." + (c % 256) + "." + (p + 1) + ":51820";
  }

  private static String harvested(int c, int p) {
    return "198." + (c / 256 % 256) + "." + (c % 256) + "." + (p + 1) + ":" + (40_000 + p);
  }

  /** A well-spread non-negative hash of a link (or of a node, with {@code p = -1}). */
  static int mix(int c, int n, int p) {
    long x = c * 0x9E3779B97F4A7C15L + n * 0xC2B2AE3D27D4EB4FL + (p + 1) * 0x165667B19E3779F9L;
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return (int) (x & 0x7fffffff);
  }
}
