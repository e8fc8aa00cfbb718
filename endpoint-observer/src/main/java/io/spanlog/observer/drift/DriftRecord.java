package io.spanlog.observer.drift;

import io.spanlog.events.PeerSpecDiscrepancy;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the observer remembers of one node's peer specs against its device, between its batches.
 *
 * @param nodeId the node's affiliate id
 * @param lastSampledAt the sample time of the node's latest batch judged
 * @param open every discrepancy its latest batch showed, each with the sample time it was first
 *     seen in (younger ones are normal propagation until they last the grace)
 * @param reported the discrepancies reported in the latest {@code peer-spec.drift}: those that
 *     have lasted the grace
 * @param driftingSince since when the node drifts (reported and not yet all-clear)
 */
public record DriftRecord(
    String nodeId,
    Instant lastSampledAt,
    List<PeerSpecDiscrepancy> open,
    List<PeerSpecDiscrepancy> reported,
    Optional<Instant> driftingSince) {
  public DriftRecord {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(lastSampledAt, "lastSampledAt");
    open = List.copyOf(open);
    reported = List.copyOf(reported);
    Objects.requireNonNull(driftingSince, "driftingSince");
  }

  public boolean drifting() {
    return driftingSince.isPresent();
  }
}
