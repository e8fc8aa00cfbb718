package io.spanlog.telemetry.bench;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventType;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.telemetry.Opening;
import io.spanlog.telemetry.TelemetrySeal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What sealing costs next to what the batch already cost: batches of 100 peers (the issue's
 * fleet shape) encoded as JSON (the baseline: what agents did before sealing, and what the
 * observer decodes anyway), sealed, and opened (decrypt and decode), one thread, in one run.
 *
 * <p>Then what a replay pays per telemetry record, the payloads read by hand and by databind (as
 * before the hand-written readers), alternating in the same run: the envelope of a sealed batch
 * record, and opening the batch.
 *
 * <pre>java -cp event-model/target/classes:event-model/target/test-classes:$(deps) \
 *     io.spanlog.telemetry.bench.TelemetrySealBench [seconds-per-row] [peers, default 100]</pre>
 */
public final class TelemetrySealBench {
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    TelemetrySeal seal = new TelemetrySeal(ClusterSecret.fromBytes(raw));
    int peers = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    peersPerBatch = peers;
    HandshakeSampleBatch batch = batch(peers);
    SealedSampleBatch sealed = seal.seal("cluster", batch);
    byte[] json = EventCodec.encodePayload(batch);

    // warm-up
    run(1, () -> EventCodec.encodePayload(batch));
    run(1, () -> seal.seal("cluster", batch));
    run(1, () -> seal.open("cluster", sealed));
    run(1, () -> EventCodec.decodePayload(EventType.HANDSHAKE_SAMPLE_BATCH, 1, json));

    System.out.printf("%-44s %12s %14s %12s%n", peers + "-peer batch (" + json.length + " B JSON, "
        + sealed.sealed().size() + " B sealed)", "batches/s", "samples/s", "us/batch");
    row("encode JSON (baseline)", run(seconds, () -> EventCodec.encodePayload(batch)));
    row("seal (encode JSON + AES-GCM)", run(seconds, () -> seal.seal("cluster", batch)));
    row("decode JSON (baseline)", run(seconds, () -> EventCodec.decodePayload(EventType.HANDSHAKE_SAMPLE_BATCH, 1, json)));
    row("open (AES-GCM + decode JSON)", run(seconds, () -> {
      if (!(seal.open("cluster", sealed) instanceof Opening.Opened)) {
        throw new IllegalStateException("does not open");
      }
    }));

    byte[] record = EventCodec.encode(Envelope.of("cluster", batch.publicKey(), Instant.now(), "bench", sealed));
    byte[] update = EventCodec.encode(Envelope.of("cluster", "node-id", Instant.now(), "bench",
        new AffiliateUpdated("node-id", Optional.of(Blob.of(new byte[300])), List.of(Blob.of(new byte[30]), Blob.of(new byte[30])),
            Duration.ofMinutes(30), Optional.of("198.51.100.7"))));
    System.out.printf("%nCPU µs per record (this thread's CPU time, so other load counts less), payloads by hand vs by"
        + " databind, alternating, best of 5 rounds; telemetry record %,d B, affiliate update %,d B:%n", record.length, update.length);
    double[][] best = new double[2][4];
    for (double[] b : best) {
      java.util.Arrays.fill(b, Double.MAX_VALUE);
    }
    for (int round = 0; round < 5; round++) {
      for (int hand = 0; hand < 2; hand++) {
        EventCodec.useHandWrittenReaders(hand == 1);
        best[hand][0] = Math.min(best[hand][0], cpuMicros(seconds, () -> EventCodec.decode(record)));
        best[hand][1] = Math.min(best[hand][1], cpuMicros(seconds, () -> seal.open("cluster", sealed)));
        best[hand][2] = Math.min(best[hand][2], cpuMicros(seconds, () -> EventCodec.decodePayload(EventType.HANDSHAKE_SAMPLE_BATCH, 1, json)));
        best[hand][3] = Math.min(best[hand][3], cpuMicros(seconds, () -> EventCodec.decode(update)));
      }
    }
    EventCodec.useHandWrittenReaders(true);
    String[] what = {"telemetry record: envelope decoded", "sealed batch opened (AES-GCM + samples)",
        "sample batch JSON decoded (inside the opening)", "affiliate.updated record decoded (the restart's)"};
    System.out.printf("%-50s %12s %12s %8s%n", "", "databind", "by hand", "ratio");
    for (int i = 0; i < what.length; i++) {
      System.out.printf("%-50s %12.2f %12.2f %7.2fx%n", what[i], best[0][i], best[1][i], best[0][i] / best[1][i]);
    }
  }

  private static int peersPerBatch = 100;

  private static void row(String name, double perSecond) {
    System.out.printf("%-44s %,12.0f %,14.0f %12.1f%n", name, perSecond, perSecond * peersPerBatch, 1e6 / perSecond);
  }

  private static double cpuMicros(double seconds, Runnable work) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long c0 = mx.getCurrentThreadCpuTime();
    long n = 0;
    while (System.nanoTime() < end) {
      work.run();
      n++;
    }
    return (mx.getCurrentThreadCpuTime() - c0) / 1e3 / n;
  }

  private static double run(double seconds, Runnable work) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    long n = 0;
    while (System.nanoTime() < end) {
      work.run();
      n++;
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  static HandshakeSampleBatch batch(int peers) {
    List<PeerSample> samples = new ArrayList<>();
    SecureRandom r = new SecureRandom();
    for (int i = 0; i < peers; i++) {
      byte[] key = new byte[32];
      r.nextBytes(key);
      samples.add(new PeerSample(Base64.getEncoder().encodeToString(key), "node-" + i,
          Optional.of("203.0.113." + (i % 250) + ":51820"), EndpointSource.PUBLIC_IP, 0, 3,
          Optional.of(Instant.parse("2026-11-25T10:00:00Z")), Optional.of(Instant.parse("2026-11-25T10:14:48Z")),
          123_456_789L + i, 98_765_432L + i, PeerState.UP, "handshake 12.0 s ago, within 275 s"));
    }
    byte[] self = new byte[32];
    r.nextBytes(self);
    return new HandshakeSampleBatch("node-self", Base64.getEncoder().encodeToString(self), true, samples,
        Optional.of(Instant.parse("2026-11-25T10:15:00Z")));
  }
}
