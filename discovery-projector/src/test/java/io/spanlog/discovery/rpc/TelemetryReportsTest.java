package io.spanlog.discovery.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.telemetry.TelemetrySeal;
import io.spanlog.telemetry.api.ReportRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryReportsTest {
  static final String KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";
  static final HandshakeSampleBatch BATCH = new HandshakeSampleBatch("node-a", KEY, true, List.of());
  static final TelemetrySeal SEAL = new TelemetrySeal(ClusterSecret.fromBytes(new byte[32]));

  static ReportRequest sealed(String cluster, int schema, byte[] bytes) {
    return ReportRequest.newBuilder().setClusterId(cluster).setSchema(schema).setNodePublicKey(KEY)
        .setSealedBatch(ByteString.copyFrom(bytes)).build();
  }

  static byte[] sealedBytes(String cluster) {
    return SEAL.seal(cluster, BATCH).sealed().toByteArray();
  }

  @Test
  void aWellFramedSealedReportYieldsItsSealedBatchAsSent() {
    byte[] bytes = sealedBytes("c");
    SealedSampleBatch read = TelemetryReports.read(sealed("c", 1, bytes)).orElseThrow();
    assertThat(read.nodePublicKey()).isEqualTo(KEY);
    assertThat(read.schema()).isEqualTo(1);
    assertThat(read.sealed().toByteArray()).isEqualTo(bytes);
  }

  @Test
  void aReportWithoutABatchIsAProbe() {
    assertThat(TelemetryReports.read(ReportRequest.getDefaultInstance())).isEmpty();
    assertThat(TelemetryReports.read(ReportRequest.newBuilder().setClusterId("c").build())).isEmpty();
  }

  @Test
  void plaintextIsRefusedWithASentence() {
    var plaintext = ReportRequest.newBuilder().setClusterId("c").setSchema(1)
        .setBatchJson(ByteString.copyFrom(EventCodec.encodePayload(BATCH))).build();
    assertThatThrownBy(() -> TelemetryReports.read(plaintext))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT))
        .hasMessage("plaintext telemetry (batch_json) is no longer accepted: batches must be sealed with the cluster "
            + "secret (sealed_batch and node_public_key); upgrade the agent");
    // also when a sealed batch rides along: nothing in clear is appended
    assertThatThrownBy(() -> TelemetryReports.read(plaintext.toBuilder().setSealedBatch(ByteString.copyFrom(sealedBytes("c")))
        .setNodePublicKey(KEY).build())).hasMessageStartingWith("plaintext telemetry (batch_json) is no longer accepted");
  }

  @Test
  void framingAndSizeAreChecked() {
    byte[] good = sealedBytes("c");
    assertThatThrownBy(() -> TelemetryReports.read(sealed("c", 7, good)))
        .hasMessage("sealed_batch: schema 7 is not supported: this build reads handshake.sample-batch schema 1");
    assertThatThrownBy(() -> TelemetryReports.read(sealed("c", -1, good)))
        .hasMessageStartingWith("sealed_batch: schema 4294967295 is not supported");
    assertThatThrownBy(() -> TelemetryReports.read(sealed("c", 1, Arrays.copyOf(good, 36))))
        .hasMessage("sealed_batch: sealed batch of 36 bytes is shorter than its header, nonce and tag (37 bytes)");
    byte[] big = Arrays.copyOf(good, TelemetrySeal.MAX_SEALED_BYTES + 1);
    assertThatThrownBy(() -> TelemetryReports.read(sealed("c", 1, big)))
        .hasMessage("sealed_batch: sealed batch of " + big.length + " bytes is larger than the "
            + TelemetrySeal.MAX_SEALED_BYTES + " bytes accepted");
    byte[] v2 = good.clone();
    v2[0] = 2;
    assertThatThrownBy(() -> TelemetryReports.read(sealed("c", 1, v2)))
        .hasMessage("sealed_batch: sealing version 2 is not one this build reads (version 1)");
    assertThatThrownBy(() -> TelemetryReports.read(sealed("c", 1, good).toBuilder().setNodePublicKey("").build()))
        .hasMessage("node_public_key is empty");
    assertThatThrownBy(() -> TelemetryReports.read(sealed("c", 1, good).toBuilder().setNodePublicKey("s3cr3t").build()))
        .hasMessage("sealed_batch: the node public key is not a WireGuard key (base64 of 32 bytes)");
  }

  @Test
  void clusterIdLimitsAreTheDiscoveryApis() {
    assertThatThrownBy(() -> TelemetryReports.read(sealed("", 1, sealedBytes("")))).hasMessage("cluster ID can't be empty");
    assertThatThrownBy(() -> TelemetryReports.read(sealed("é".repeat(129), 1, sealedBytes("x"))))
        .hasMessage("cluster ID is too long");
    assertThat(TelemetryReports.read(sealed("é".repeat(128), 1, sealedBytes("é".repeat(128))))).isPresent();
  }
}
