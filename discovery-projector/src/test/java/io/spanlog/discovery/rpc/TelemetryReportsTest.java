package io.spanlog.discovery.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.telemetry.api.ReportRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryReportsTest {
  static final HandshakeSampleBatch BATCH = new HandshakeSampleBatch("node-a", "cHVibGljLWtleQ==", true, List.of());

  static ReportRequest request(String cluster, int schema, String json) {
    return ReportRequest.newBuilder().setClusterId(cluster).setSchema(schema)
        .setBatchJson(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build();
  }

  static String json(HandshakeSampleBatch b) {
    return new String(EventCodec.encodePayload(b), StandardCharsets.UTF_8);
  }

  @Test
  void aValidReportYieldsItsBatch() {
    assertThat(TelemetryReports.read(request("c", 1, json(BATCH)))).isEqualTo(BATCH);
  }

  @Test
  void schemaIsCheckedBeforeTheJson() {
    assertThatThrownBy(() -> TelemetryReports.read(request("c", 7, "not json")))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT))
        .hasMessage("schema 7 is not supported: this server reads handshake.sample-batch schema 1");
    // uint32 on the wire: a huge value is shown as the client sent it, not negative
    assertThatThrownBy(() -> TelemetryReports.read(request("c", -1, json(BATCH))))
        .hasMessageStartingWith("schema 4294967295 is not supported");
  }

  @Test
  void malformedJsonIsLocatedButNotQuoted() {
    assertThatThrownBy(() -> TelemetryReports.read(request("c", 1, "{\"nodeId\": s3cr3t}")))
        .hasMessageStartingWith("batch_json is not a valid handshake.sample-batch (schema 1): not valid JSON (line 1, column ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
  }

  @Test
  void valuesOfTheWrongTypeAreNotRepeated() {
    String bad = json(BATCH).replace("true", "\"s3cr3t\"");
    assertThatThrownBy(() -> TelemetryReports.read(request("c", 1, bad)))
        .hasMessageContaining("discoveryReachable")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
  }

  @Test
  void clusterIdLimitsAreTheDiscoveryApis() {
    assertThatThrownBy(() -> TelemetryReports.read(request("", 1, json(BATCH)))).hasMessage("cluster ID can't be empty");
    assertThatThrownBy(() -> TelemetryReports.read(request("é".repeat(129), 1, json(BATCH)))).hasMessage("cluster ID is too long");
    assertThat(TelemetryReports.read(request("é".repeat(128), 1, json(BATCH)))).isEqualTo(BATCH);
  }
}
