package io.spanlog.observer.topology;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.batch;
import static io.spanlog.observer.Fleet.down;
import static io.spanlog.observer.Fleet.t;
import static io.spanlog.observer.Fleet.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.ClusterSecretFile;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerState;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.kafka.DeadLetterRouter;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.intake.SealedBatchOpener;
import io.spanlog.secrets.ClusterSecrets;
import io.spanlog.telemetry.TelemetrySeal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealed telemetry through the observer's topology: what opens is observed, the rest dead-lettered. */
class SealedTelemetryTest {
  static final String E1 = "203.0.113.7:51820";
  static final ClusterSecret SECRET = secret();
  static final ClusterSecret OTHER = secret();

  @TempDir
  Path secretsDir;

  static ClusterSecret secret() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return ClusterSecret.fromBytes(raw);
  }

  void register(String clusterId, ClusterSecret secret) throws IOException {
    Files.writeString(secretsDir.resolve(UUID.randomUUID() + ".yaml"),
        ClusterSecretFile.render(new ClusterSecretFile.Entry(clusterId, secret)));
  }

  /** A batch as the discovery service appends it: sealed by the agent, keyed by its cluster. */
  static byte[] sealedRecord(String clusterId, SealedSampleBatch sealed, Instant at) {
    return EventCodec.encode(new Envelope(UUID.randomUUID().toString(), clusterId, sealed.nodePublicKey(), at,
        "discovery-projector@test", sealed));
  }

  static SealedSampleBatch seal(ClusterSecret secret, String clusterId, HandshakeSampleBatch batch) {
    return new TelemetrySeal(secret).seal(clusterId, batch);
  }

  static String header(TestRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void sealedBatchesOpenWithTheirClustersSecretAndBecomeLinkEvents() throws Exception {
    register(Fleet.CLUSTER, SECRET); // "prod/eu-1": an id that cannot be a file name
    try (ClusterSecrets secrets = ClusterSecrets.load(secretsDir);
        ObserverDriver d = new ObserverDriver(ObserverSettings.defaults(), new SealedBatchOpener(secrets))) {
      for (long s = 0; s <= 60; s += 30) {
        d.send(sealedRecord(Fleet.CLUSTER, seal(SECRET, Fleet.CLUSTER, batch(A, t(s), up(B, E1, 1000 * s, 500 * s, t(s)))), t(s)),
            t(s));
      }
      d.send(sealedRecord(Fleet.CLUSTER, seal(SECRET, Fleet.CLUSTER, batch(A, t(90), down(B, E1, 60_000, 30_000, t(90)))), t(90)),
          t(90));

      assertThat(d.deadLetters()).isEmpty();
      assertThat(d.events(LinkStateChanged.class)).singleElement().satisfies(c -> {
        assertThat(c.from()).isEqualTo(PeerState.UP);
        assertThat(c.to()).isEqualTo(PeerState.DOWN);
        assertThat(c.firstSampleInNew()).isEqualTo(t(90));
      });
    }
  }

  @Test
  void batchesThatDoNotOpenAreDeadLetteredWithTheReasonWhileTheStreamGoesOn() throws Exception {
    register(Fleet.CLUSTER, SECRET);
    try (ClusterSecrets secrets = ClusterSecrets.load(secretsDir)) {
      var opener = new SealedBatchOpener(secrets);
      try (ObserverDriver d = new ObserverDriver(ObserverSettings.defaults(), opener)) {
        HandshakeSampleBatch b = batch(A, t(0), up(B, E1, 0, 0, t(0)));
        SealedSampleBatch good = seal(SECRET, Fleet.CLUSTER, b);
        byte[] wrongKey = sealedRecord(Fleet.CLUSTER, seal(OTHER, Fleet.CLUSTER, b), t(0));
        byte[] bits = good.sealed().toByteArray();
        bits[bits.length - 20] ^= 0x01;
        byte[] tampered = sealedRecord(Fleet.CLUSTER, new SealedSampleBatch(A.key(), 1, Blob.of(bits)), t(0));
        byte[] truncated = sealedRecord(Fleet.CLUSTER,
            new SealedSampleBatch(A.key(), 1, Blob.of(Arrays.copyOf(good.sealed().toByteArray(), 30))), t(0));
        byte[] otherCluster = sealedRecord(Fleet.CLUSTER, seal(SECRET, "prod/eu-2", b), t(0));
        for (byte[] r : List.of(wrongKey, tampered, truncated, otherCluster)) {
          d.send(r, t(0));
        }
        // the stream goes on: a good batch after them is observed
        d.send(sealedRecord(Fleet.CLUSTER, good, t(0)), t(0));
        d.send(sealedRecord(Fleet.CLUSTER, seal(SECRET, Fleet.CLUSTER, batch(A, t(30), down(B, E1, 0, 0, t(30)))), t(30)),
            t(30));

        List<TestRecord<byte[], byte[]>> dead = d.deadLetters();
        assertThat(dead).extracting(r -> header(r, DeadLetterRouter.HEADER_PROBLEM))
            .containsExactly("NOT_SEALED_FOR_CLUSTER", "TAMPERED", "TRUNCATED", "TAMPERED");
        assertThat(dead).extracting(TestRecord::value).containsExactly(wrongKey, tampered, truncated, otherCluster);
        assertThat(header(dead.get(0), DeadLetterRouter.HEADER_REASON))
            .isEqualTo("sealed under another cluster secret than the one registered for cluster prod/eu-1");
        assertThat(header(dead.get(1), DeadLetterRouter.HEADER_REASON)).startsWith("GCM tag mismatch under cluster prod/eu-1's key");
        assertThat(header(dead.get(2), DeadLetterRouter.HEADER_REASON))
            .isEqualTo("sealed batch of 30 bytes is shorter than its header, nonce and tag (37 bytes)");
        assertThat(dead).allSatisfy(r -> assertThat(header(r, DeadLetterRouter.HEADER_REASON))
            .doesNotContain(SECRET.revealBase64()).doesNotContain(OTHER.revealBase64()).doesNotContain(E1));
        assertThat(d.events(LinkStateChanged.class)).hasSize(1);
        assertThat(opener.refused(Fleet.CLUSTER, "TAMPERED")).isEqualTo(2);
        assertThat(opener.refused(Fleet.CLUSTER, "NOT_SEALED_FOR_CLUSTER")).isEqualTo(1);
      }
    }
  }

  @Test
  void aClusterWithoutASecretIsDeadLetteredSayingItsLinksNeedItUntilTheSecretArrives() throws Exception {
    try (ClusterSecrets secrets = ClusterSecrets.load(secretsDir)) {
      var opener = new SealedBatchOpener(secrets);
      try (ObserverDriver d = new ObserverDriver(ObserverSettings.defaults(), opener)) {
        d.send(sealedRecord(Fleet.CLUSTER, seal(SECRET, Fleet.CLUSTER, batch(A, t(0), up(B, E1, 0, 0, t(0)))), t(0)), t(0));
        d.send(sealedRecord(Fleet.CLUSTER, seal(SECRET, Fleet.CLUSTER, batch(A, t(30), down(B, E1, 0, 0, t(30)))), t(30)), t(30));

        assertThat(d.deadLetters()).hasSize(2).allSatisfy(r -> {
          assertThat(header(r, DeadLetterRouter.HEADER_PROBLEM)).isEqualTo(SealedBatchOpener.NO_SECRET);
          assertThat(header(r, DeadLetterRouter.HEADER_REASON)).startsWith("no secret for cluster prod/eu-1: its links need its secret");
        });
        assertThat(opener.refused(Fleet.CLUSTER, SealedBatchOpener.NO_SECRET)).isEqualTo(2);
        assertThat(d.events()).isEmpty();

        // the operator adds the file: no restart, the next batches open
        register(Fleet.CLUSTER, SECRET);
        secrets.rescan();
        d.send(sealedRecord(Fleet.CLUSTER, seal(SECRET, Fleet.CLUSTER, batch(A, t(60), up(B, E1, 0, 0, t(60)))), t(60)), t(60));
        d.send(sealedRecord(Fleet.CLUSTER, seal(SECRET, Fleet.CLUSTER, batch(A, t(90), down(B, E1, 0, 0, t(90)))), t(90)), t(90));
        assertThat(d.deadLetters()).isEmpty();
        assertThat(d.events(LinkStateChanged.class)).hasSize(1);
      }
    }
  }

  @Test
  void plaintextBatchesAlreadyInTheLogAreStillRead() throws Exception {
    try (ClusterSecrets secrets = ClusterSecrets.load(secretsDir);
        ObserverDriver d = new ObserverDriver(ObserverSettings.defaults(), new SealedBatchOpener(secrets))) {
      d.report(batch(A, t(0), up(B, E1, 0, 0, t(0))));
      d.report(batch(A, t(30), down(B, E1, 0, 0, t(30))));
      assertThat(d.deadLetters()).isEmpty();
      assertThat(d.events(LinkStateChanged.class)).hasSize(1);
    }
  }
}
