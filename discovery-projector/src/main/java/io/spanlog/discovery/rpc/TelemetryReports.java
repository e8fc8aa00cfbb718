package io.spanlog.discovery.rpc;

import io.spanlog.events.Blob;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.telemetry.TelemetrySeal;
import io.spanlog.telemetry.api.ReportRequest;
import java.util.Optional;

/**
 * Checks one telemetry report and reads its sealed batch. The service cannot open it (it has no
 * cluster secret), so it checks what anyone can: the cluster id, the framing and the size
 * ({@link TelemetrySeal#framingProblem}); whether the batch is authentic is judged by the readers
 * that hold the secret. Plaintext batches are refused: anyone who knew a cluster id could forge
 * them.
 *
 * <p>Error messages name the problem but never repeat the values that were sent.
 */
final class TelemetryReports {
  static final String PLAINTEXT_REFUSED = "plaintext telemetry (batch_json) is no longer accepted: batches must be "
      + "sealed with the cluster secret (sealed_batch and node_public_key); upgrade the agent";

  private TelemetryReports() {}

  /**
   * The report's sealed batch, or empty for a probe (a report with no batch at all);
   * {@link StatusError} INVALID_ARGUMENT if anything is wrong.
   */
  static Optional<SealedSampleBatch> read(ReportRequest r) {
    if (r.getBatchJson().isEmpty() && r.getSealedBatch().isEmpty()) {
      return Optional.empty();
    }
    RequestValidator.clusterId(r.getClusterId());
    if (!r.getBatchJson().isEmpty()) {
      throw StatusError.invalid(PLAINTEXT_REFUSED);
    }
    if (r.getNodePublicKey().isEmpty()) {
      throw StatusError.invalid("node_public_key is empty");
    }
    var sealed = new SealedSampleBatch(r.getNodePublicKey(), r.getSchema(), Blob.of(r.getSealedBatch().toByteArray()));
    TelemetrySeal.framingProblem(sealed).ifPresent(p -> {
      throw StatusError.invalid("sealed_batch: " + p.reason());
    });
    return Optional.of(sealed);
  }
}
