package io.spanlog.telemetry.bench;

import io.spanlog.affiliate.ClusterSecret;
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
    System.out.printf("%nper telemetry record (%,d B), payloads by hand vs by databind, alternating:%n", record.length);
    for (int round = 0; round < 3; round++) {
      for (boolean hand : new boolean[] {false, true}) {
        EventCodec.useHandWrittenReaders(hand);
        String how = hand ? "by hand" : "by databind";
        row("decode the record's envelope, " + how, run(seconds, () -> EventCodec.decode(record)));
        row("open the batch, " + how, run(seconds, () -> seal.open("cluster", sealed)));
        row("both, " + how, run(seconds, () -> seal.open("cluster", (SealedSampleBatch) EventCodec.decode(record).payload())));
      }
    }
    EventCodec.useHandWrittenReaders(true);
  }

  private static int peersPerBatch = 100;

  private static void row(String name, double perSecond) {
    System.out.printf("%-44s %,12.0f %,14.0f %12.1f%n", name, perSecond, perSecond * peersPerBatch, 1e6 / perSecond);
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
