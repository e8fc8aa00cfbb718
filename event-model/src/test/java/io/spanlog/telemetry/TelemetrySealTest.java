package io.spanlog.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.DecodeResult;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.events.SealedSampleBatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sealing of telemetry batches: the vector, and what must not open. */
class TelemetrySealTest {
  private static final HexFormat HEX = HexFormat.of();
  static final ClusterSecret SECRET = ClusterSecret.fromBytes(
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
  static final ClusterSecret OTHER = ClusterSecret.fromBytes(new byte[32]);
  static final String NODE_A = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";
  static final String NODE_B = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";
  static final String CLUSTER = "cluster-7f3a";

  final TelemetrySeal seal = new TelemetrySeal(SECRET);

  static HandshakeSampleBatch small() {
    return new HandshakeSampleBatch("node-a", NODE_A, true, List.of(),
        Optional.of(Instant.parse("2026-11-25T10:00:00Z")));
  }

  static HandshakeSampleBatch withPeer() {
    return new HandshakeSampleBatch("node-a", NODE_A, false, List.of(new PeerSample(NODE_B, "node-b",
        Optional.of("203.0.113.9:51820"), EndpointSource.HARVESTED, 1, 3, Optional.of(Instant.parse("2026-11-25T10:10:00Z")),
        Optional.of(Instant.parse("2026-11-25T10:14:58.5Z")), 123_456_789_012L, 98_765L, PeerState.UP,
        "handshake 31.6 s ago, within 275 s")), Optional.of(Instant.parse("2026-11-25T10:15:00Z")));
  }

  @Test
  void vectorWithFixedKeyAndNonce() {
    // the plaintext is the event codec's payload JSON
    assertThat(new String(EventCodec.encodePayload(small()), StandardCharsets.UTF_8)).isEqualTo(
        "{\"nodeId\":\"node-a\",\"publicKey\":\"" + NODE_A + "\",\"discoveryReachable\":true,\"peers\":[],"
            + "\"sampledAt\":\"2026-11-25T10:00:00Z\"}");
    assertThat(HEX.formatHex(TelemetrySeal.associatedData(CLUSTER, 1, NODE_A, HEX.parseHex("013749634c52528d4f"))))
        .isEqualTo("7370616e6c6f672074656c656d65747279207631000000000c636c75737465722d37663361000000010000002c"
            + "515546425155464251554642515546425155464251554642515546425155464251554642515546425155453d"
            + "013749634c52528d4f");

    SealedSampleBatch sealed = seal.seal(CLUSTER, small(), HEX.parseHex("000102030405060708090a0b"));

    assertThat(sealed.nodePublicKey()).isEqualTo(NODE_A);
    assertThat(sealed.schema()).isEqualTo(1);
    // computed independently (Python: hmac/hashlib HKDF, cryptography's AESGCM)
    assertThat(sealed.sealed().hex()).isEqualTo(
        "013749634c52528d4f" // version 1, key id
            + "000102030405060708090a0b" // nonce
            + "181b983ba9d7df1029b14b7c87a11f7309e3829eeef484ba18aa6074a9cde727f7d1d846659897620185533e82cafae0"
            + "9431c9468207a1fc9fa87d279192206eb95b23fc643b3e35b96650a765fce0619a67007658f25515c7a9600a663265b3"
            + "f67bf5e8f1676c9ccf99766806b553cfce80dbba4f6d8a5284ba23a0b9b4d23aac3da5bd5a079aa14bb8fb4acfa9c040"
            + "1e9cef686b51f6d1f49860eef4d34b70421e9f176da7");
    assertThat(seal.open(CLUSTER, sealed)).isEqualTo(new Opening.Opened(small()));
  }

  @Test
  void aBatchRoundTripsWithARandomNonceEachTime() {
    SealedSampleBatch one = seal.seal(CLUSTER, withPeer());
    SealedSampleBatch two = seal.seal(CLUSTER, withPeer());

    assertThat(one.sealed()).isNotEqualTo(two.sealed());
    assertThat(seal.open(CLUSTER, one)).isEqualTo(new Opening.Opened(withPeer()));
    assertThat(new TelemetrySeal(SECRET).open(CLUSTER, two)).isEqualTo(new Opening.Opened(withPeer()));
    assertThat(new String(one.sealed().toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("node-b");
  }

  @Test
  void aBatchSealedForClusterADoesNotOpenUnderBsId() {
    SealedSampleBatch sealed = seal.seal("cluster-a", withPeer());

    assertThat(seal.open("cluster-b", sealed)).isInstanceOfSatisfying(Opening.Refused.class, r -> {
      assertThat(r.problem()).isEqualTo(SealProblem.TAMPERED);
      assertThat(r.reason()).contains("moved from another cluster id or node key");
    });
  }

  @Test
  void aBatchMovedToAnotherNodesKeyDoesNotOpen() {
    SealedSampleBatch sealed = seal.seal(CLUSTER, withPeer());
    var moved = new SealedSampleBatch(NODE_B, sealed.schema(), sealed.sealed());

    assertThat(problem(seal.open(CLUSTER, moved))).isEqualTo(SealProblem.TAMPERED);
  }

  @Test
  void anotherSecretIsToldApartFromTampering() {
    SealedSampleBatch sealed = seal.seal(CLUSTER, withPeer());

    assertThat(new TelemetrySeal(OTHER).open(CLUSTER, sealed)).isInstanceOfSatisfying(Opening.Refused.class, r -> {
      assertThat(r.problem()).isEqualTo(SealProblem.NOT_SEALED_FOR_CLUSTER);
      assertThat(r.reason()).isEqualTo("sealed under another cluster secret than the one registered for cluster " + CLUSTER);
    });
  }

  @Test
  void everyFlippedBitFails() {
    byte[] good = seal.seal(CLUSTER, small()).sealed().toByteArray();
    for (int i = 0; i < good.length * 8; i++) {
      byte[] bad = good.clone();
      bad[i / 8] ^= (byte) (1 << (i % 8));
      Opening o = seal.open(CLUSTER, new SealedSampleBatch(NODE_A, 1, Blob.of(bad)));
      assertThat(o).as("bit %d flipped", i).isInstanceOf(Opening.Refused.class);
      SealProblem expected = i < 8 ? SealProblem.UNKNOWN_VERSION
          : i < 8 * TelemetrySeal.HEADER_LENGTH ? SealProblem.NOT_SEALED_FOR_CLUSTER : SealProblem.TAMPERED;
      assertThat(problem(o)).as("bit %d flipped", i).isEqualTo(expected);
    }
  }

  @Test
  void truncatedInputFailsWithAClearReason() {
    byte[] good = seal.seal(CLUSTER, small()).sealed().toByteArray();

    Opening shortOne = seal.open(CLUSTER, new SealedSampleBatch(NODE_A, 1, Blob.of(Arrays.copyOf(good, 20))));
    assertThat(shortOne).isEqualTo(new Opening.Refused(SealProblem.TRUNCATED,
        "sealed batch of 20 bytes is shorter than its header, nonce and tag (37 bytes)"));
    assertThat(problem(seal.open(CLUSTER, new SealedSampleBatch(NODE_A, 1, Blob.EMPTY)))).isEqualTo(SealProblem.TRUNCATED);
    // cut inside the ciphertext: long enough to frame, but the tag is gone
    Opening cut = seal.open(CLUSTER, new SealedSampleBatch(NODE_A, 1, Blob.of(Arrays.copyOf(good, good.length - 1))));
    assertThat(cut).isInstanceOfSatisfying(Opening.Refused.class, r -> {
      assertThat(r.problem()).isEqualTo(SealProblem.TAMPERED);
      assertThat(r.reason()).contains("altered or cut");
    });
  }

  @Test
  void framingIsCheckedWithoutTheSecret() {
    SealedSampleBatch good = seal.seal(CLUSTER, small());
    assertThat(TelemetrySeal.framingProblem(good)).isEmpty();
    assertThat(TelemetrySeal.framingProblem(new SealedSampleBatch(NODE_A, 2, good.sealed())).orElseThrow().reason())
        .isEqualTo("schema 2 is not supported: this build reads handshake.sample-batch schema 1");
    assertThat(TelemetrySeal.framingProblem(new SealedSampleBatch("not-a-key", 1, good.sealed())).orElseThrow().problem())
        .isEqualTo(SealProblem.BAD_NODE_KEY);
    byte[] big = new byte[TelemetrySeal.MAX_SEALED_BYTES + 1];
    big[0] = 1;
    assertThat(TelemetrySeal.framingProblem(new SealedSampleBatch(NODE_A, 1, Blob.of(big))).orElseThrow().problem())
        .isEqualTo(SealProblem.OVERSIZE);
  }

  @Test
  void theBatchInsideMustNameTheNodeOfItsHeader() {
    // only a holder of the secret can make this: a bug, or a node posing as another
    HandshakeSampleBatch posing = new HandshakeSampleBatch("node-a", NODE_B, true, List.of());
    SealedSampleBatch sealed = seal.seal(CLUSTER, posing);
    var relabelled = new SealedSampleBatch(NODE_A, 1, sealed.sealed());
    // the header is bound in: relabelling alone is tampering
    assertThat(problem(seal.open(CLUSTER, relabelled))).isEqualTo(SealProblem.TAMPERED);
    assertThat(seal.open(CLUSTER, sealed)).isInstanceOf(Opening.Opened.class);
  }

  @Test
  void theTelemetryKeyIsNotTheAffiliateKey() {
    // data sealed for affiliates (the secret itself as AES key) does not open as telemetry, and
    // the telemetry ciphertext does not open as affiliate data
    SealedSampleBatch sealed = seal.seal(CLUSTER, small());
    byte[] body = Arrays.copyOfRange(sealed.sealed().toByteArray(), TelemetrySeal.HEADER_LENGTH, sealed.sealed().size());
    assertThat(new AffiliateCrypto(SECRET).decryptAffiliate(body)).isInstanceOf(DecodeResult.Failed.class);
  }

  @Test
  void reasonsNeverCarryTheSecret() {
    SealedSampleBatch sealed = seal.seal(CLUSTER, small());
    Opening.Refused r = (Opening.Refused) new TelemetrySeal(OTHER).open(CLUSTER, sealed);
    assertThat(r.reason()).doesNotContain(SECRET.revealBase64()).doesNotContain(OTHER.revealBase64());
  }

  private static SealProblem problem(Opening o) {
    return ((Opening.Refused) o).problem();
  }
}
